using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace PneumoniaPortal.Web.Tests.Security;

/// <summary>Hostile uploads, made in memory by the tests (none is stored in the repository).</summary>
static class BadFiles
{
    /// <summary>A real, complete grayscale PNG of width x height black pixels: a few hundred KB for 20000 x 20000.</summary>
    public static byte[] HugePng(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (gray), compression, filter, interlace all 0
        Chunk(png, "IHDR", header);
        using (var pixels = new MemoryStream())
        {
            using (var zlib = new ZLibStream(pixels, CompressionLevel.Fastest, leaveOpen: true))
            {
                var row = new byte[width + 1]; // filter byte 0, then black pixels
                for (var y = 0; y < height; y++) zlib.Write(row);
            }
            Chunk(png, "IDAT", pixels.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>A zip with the given entries (name and bytes).</summary>
    public static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(bytes);
            }
        return memory.ToArray();
    }

    /// <summary>One entry of <paramref name="bytes"/> zeros in an X-ray's place, deflated on the fly to a few MB.</summary>
    public static byte[] ZipBomb(long bytes, string name = "chest_xray/train/NORMAL/bomb.jpeg")
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (long written = 0; written < bytes; written += zeros.Length) stream.Write(zeros, 0, (int)Math.Min(zeros.Length, bytes - written));
        }
        return memory.ToArray();
    }

    /// <summary>A zip of <paramref name="count"/> one-byte "images" in the Kaggle layout.</summary>
    public static byte[] ManyTinyEntries(int count)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            for (var i = 0; i < count; i++)
            {
                using var stream = zip.CreateEntry($"chest_xray/train/NORMAL/{i}.jpeg", CompressionLevel.NoCompression).Open();
                stream.WriteByte(0);
            }
        return memory.ToArray();
    }
}
