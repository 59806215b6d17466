using System.IO.Compression;
using System.Text;
using PneumoniaPortal.Web.Results;

namespace PneumoniaPortal.Web.Tests.Activations;

/// <summary>What <see cref="PredictionUpload"/> refuses before any pixel is decoded.</summary>
public sealed class ActivationUploadCheckTests
{
    /// <summary>A valid PNG whose header says width x height: one IHDR, one deflated row, IEND (the rest is never read).</summary>
    static byte[] PngHeader(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // 8-bit gray
        Chunk(png, "IHDR", ihdr);
        using var deflated = new MemoryStream();
        using (var z = new ZLibStream(deflated, CompressionLevel.Fastest, leaveOpen: true)) z.Write(new byte[1 + Math.Min(width, 4096)]);
        Chunk(png, "IDAT", deflated.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream s, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        s.Write(length);
        var body = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(body);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(body));
        s.Write(crc);
    }

    static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void A_20000_by_20000_PNG_is_refused_from_its_header_with_its_size_in_the_message()
    {
        var problem = PredictionUpload.Problem(PngHeader(20_000, 20_000), "huge.png");
        Assert.Equal("huge.png is 20000 x 20000 pixels; the largest accepted is 10,000 pixels on a side and 40 megapixels. Shrink it first (the network sees it at a few hundred pixels anyway).", problem);
    }

    [Fact]
    public void A_small_PNG_header_passes_the_checks() => Assert.Null(PredictionUpload.Problem(PngHeader(64, 64), "small.png"));

    [Theory]
    [InlineData("", "empty.jpg", "empty.jpg is empty (0 bytes)")]
    [InlineData("just some words", "notes.jpg", "notes.jpg is not a JPEG or PNG image: it looks like a text file")]
    [InlineData("%PDF-1.4 ...", "report.pdf", "report.pdf is not a JPEG or PNG image: it looks like a PDF document")]
    [InlineData("GIF89a......", "anim.gif", "anim.gif is not a JPEG or PNG image: it looks like a GIF image")]
    public void Files_that_are_not_JPEG_or_PNG_are_named_for_what_they_are(string content, string name, string expected) =>
        Assert.StartsWith(expected, PredictionUpload.Problem(Encoding.ASCII.GetBytes(content), name));

    [Fact]
    public void A_file_over_20_MB_is_refused_before_anything_else() =>
        Assert.Equal("big.jpg is 21.0 MB; the largest accepted upload is 20 MB.", PredictionUpload.Problem(new byte[21 << 20], "big.jpg"));
}
