using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PneumoniaPortal.Web.Data;
using PneumoniaPortal.Web.Dataset;
using PneumoniaPortal.Web.Tests.Host;

namespace PneumoniaPortal.Web.Tests.Dataset;

/// <summary>A .zip uploaded in pieces straight to disk: resumable after a dropped connection, each piece at its offset.</summary>
public sealed class ChunkedUploadTests
{
    sealed class SmallPieces() : PortalHost(new Dictionary<string, string?> { ["Dataset:UploadChunkBytes"] = "65536", ["Dataset:MaxUploadBytes"] = "52428800" });

    /// <summary>A body that sends its first bytes and then loses the connection.</summary>
    sealed class DroppedHalfway(byte[] bytes, int before) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(bytes.AsMemory(0, before));
            await stream.FlushAsync();
            await Task.Delay(300);
            throw new IOException("the network went away");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }

    /// <summary>Sends a piece; while the server is still finishing a piece cut off a moment ago, asks again (as the page's script does).</summary>
    static async Task<HttpResponseMessage> PutAsync(SignedInClient client, string id, long offset, ByteArrayContent piece)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.Http.PutAsync($"api/dataset/uploads/{id}?offset={offset}", piece);
            if (response.StatusCode != HttpStatusCode.Conflict || attempt == 50 || !(await response.Content.ReadAsStringAsync()).Contains("Another piece")) return response;
            await Task.Delay(100);
        }
    }

    static ByteArrayContent Piece(byte[] zip, long from, int count)
    {
        var content = new ByteArrayContent(zip, (int)from, count);
        content.Headers.ContentType = new("application/octet-stream");
        return content;
    }

    [Fact]
    public async Task A_chunked_upload_survives_a_connection_dropped_halfway_and_imports_the_same_bytes()
    {
        using var portal = new SmallPieces();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        var zip = DatasetTestData.KaggleZip(perFolder: 12);
        Assert.True(zip.Length > 4 * 65536, $"the zip is {zip.Length} bytes");

        var begun = await instructor.Http.PostAsJsonAsync("api/dataset/uploads", new BeginUploadRequest("kaggle archive.zip", zip.Length), PortalApi.Json);
        var status = (await begun.Content.ReadFromJsonAsync<UploadStatus>(PortalApi.Json))!;
        Assert.Equal((0L, 65536), (status.Received, status.ChunkBytes));

        // The first half, piece by piece.
        while (status.Received < zip.Length / 2)
        {
            var count = (int)Math.Min(status.ChunkBytes, zip.Length - status.Received);
            var put = await instructor.Http.PutAsync($"api/dataset/uploads/{status.Id}?offset={status.Received}", Piece(zip, status.Received, count));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            status = (await put.Content.ReadFromJsonAsync<UploadStatus>(PortalApi.Json))!;
        }

        // The connection drops inside the next piece: what arrived is kept, and the server says how much that is.
        var atDrop = status.Received;
        var piece = zip.AsSpan((int)atDrop, status.ChunkBytes).ToArray();
        var dropped = new DroppedHalfway(piece, piece.Length / 2);
        dropped.Headers.ContentType = new("application/octet-stream");
        await Assert.ThrowsAnyAsync<Exception>(() => instructor.Http.PutAsync($"api/dataset/uploads/{status.Id}?offset={atDrop}", dropped));
        for (var i = 0; i < 50; i++)
        {
            status = (await instructor.Http.GetFromJsonAsync<UploadStatus>($"api/dataset/uploads/{status.Id}", PortalApi.Json))!;
            if (status.Received > atDrop) break;
            await Task.Delay(100);
        }
        Assert.InRange(status.Received, atDrop + 1, atDrop + piece.Length / 2);

        // A piece sent again at an old offset is refused with the right one; the rest goes on from the server's count.
        var stale = await PutAsync(instructor, status.Id, atDrop - status.ChunkBytes, Piece(zip, atDrop - status.ChunkBytes, status.ChunkBytes));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains($"The server holds {status.Received} bytes", await stale.Content.ReadAsStringAsync());
        var early = await instructor.Http.PostAsync($"api/dataset/uploads/{status.Id}/import", null);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        while (status.Received < zip.Length)
        {
            var count = (int)Math.Min(status.ChunkBytes, zip.Length - status.Received);
            var put = await PutAsync(instructor, status.Id, status.Received, Piece(zip, status.Received, count));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            status = (await put.Content.ReadFromJsonAsync<UploadStatus>(PortalApi.Json))!;
        }
        var imported = await instructor.Http.PostAsync($"api/dataset/uploads/{status.Id}/import", null);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var id = (await imported.Content.ReadFromJsonAsync<DatasetImportResult>(PortalApi.Json))!.Id;

        await using var db = await portal.NewDbAsync();
        var row = await db.Datasets.SingleAsync(d => d.Id == id);
        Assert.False(row.IsDefault);
        Assert.Equal(48, row.ImageCount);
        Assert.Equal(MD5.HashData(zip), MD5.HashData(await File.ReadAllBytesAsync(row.Path)));
        // The upload is gone once imported.
        Assert.Equal(HttpStatusCode.NotFound, (await instructor.Http.GetAsync($"api/dataset/uploads/{status.Id}")).StatusCode);
    }

    [Fact]
    public async Task An_upload_is_its_owners_a_zip_within_the_cap_and_raw_bytes_only()
    {
        using var portal = new SmallPieces();
        using var instructor = await portal.SignInAsync(DemoSeeder.InstructorEmail);
        using var admin = await portal.SignInAsync(DemoSeeder.AdminEmail);
        using var student = await portal.SignInAsync(DemoSeeder.StudentEmail);

        Assert.Equal(HttpStatusCode.Forbidden, (await student.Http.PostAsJsonAsync("api/dataset/uploads", new BeginUploadRequest("a.zip", 1000), PortalApi.Json)).StatusCode);
        var big = await instructor.Http.PostAsJsonAsync("api/dataset/uploads", new BeginUploadRequest("a.zip", 60L << 20), PortalApi.Json);
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Contains("up to 50 MB", await big.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await instructor.Http.PostAsJsonAsync("api/dataset/uploads", new BeginUploadRequest("a.exe", 1000), PortalApi.Json)).StatusCode);

        var status = (await (await instructor.Http.PostAsJsonAsync("api/dataset/uploads", new BeginUploadRequest("mine.zip", 1000), PortalApi.Json))
            .Content.ReadFromJsonAsync<UploadStatus>(PortalApi.Json))!;
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"api/dataset/uploads/{status.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.PutAsync($"api/dataset/uploads/{status.Id}?offset=0", Piece(new byte[10], 0, 10))).StatusCode);
        var json = JsonContent.Create(new { a = 1 });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await instructor.Http.PutAsync($"api/dataset/uploads/{status.Id}?offset=0", json)).StatusCode);
        var tooMuch = await instructor.Http.PutAsync($"api/dataset/uploads/{status.Id}?offset=0", Piece(new byte[2000], 0, 2000));
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);

        // A few uploads under way per person: each may hold gigabytes of the server's disk.
        for (var i = 1; i < DatasetUploads.OpenPerPerson; i++)
            Assert.Equal(HttpStatusCode.OK, (await instructor.Http.PostAsJsonAsync("api/dataset/uploads", new BeginUploadRequest($"more-{i}.zip", 1000), PortalApi.Json)).StatusCode);
        var one = await instructor.Http.PostAsJsonAsync("api/dataset/uploads", new BeginUploadRequest("one-too-many.zip", 1000), PortalApi.Json);
        Assert.Equal(HttpStatusCode.TooManyRequests, one.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.PostAsJsonAsync("api/dataset/uploads", new BeginUploadRequest("admins-own.zip", 1000), PortalApi.Json)).StatusCode);
    }
}
