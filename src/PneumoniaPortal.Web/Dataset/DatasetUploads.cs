using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PneumoniaPortal.Web.Security;

namespace PneumoniaPortal.Web.Dataset;

/// <summary>
/// A .zip uploaded in pieces straight to disk (never whole in memory, never through a page's live connection), so
/// Kaggle's archive of several gigabytes arrives at the speed of the network and a dropped connection costs one piece:
/// the browser asks how much arrived and sends the rest. Each upload belongs to the person who began it; parts live in
/// the data sets folder (shared by every node) until they are imported, or for a day.
/// </summary>
public sealed class DatasetUploads(PortalPaths paths, IOptions<DatasetOptions> options, DatasetService datasets, ILogger<DatasetUploads> log)
{
    static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);
    /// <summary>Uploads one person may have under way at once (each may be gigabytes).</summary>
    public const int OpenPerPerson = 3;
    // One writer per upload (a slow connection holds its own upload, nobody else's).
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _writers = new();

    string Folder => Path.Combine(paths.DatasetsDirectory, "uploads");

    sealed record Meta(string Owner, string FileName, long Size, DateTimeOffset Began);

    public UploadStatus Begin(BeginUploadRequest request, Viewer by)
    {
        if (!by.IsStaff) throw Refusal.Forbidden("Only instructors and admins upload data sets. Nothing was changed.");
        var name = Path.GetFileName((request.FileName ?? "").Trim());
        if (!name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            throw Refusal.Invalid($"{name} is not a .zip file. Upload the .zip downloaded from Kaggle or Mendeley.");
        var max = options.Value.MaxUploadBytes;
        if (request.Size <= 0 || request.Size > max)
            throw Refusal.Invalid($"{name} is {Format.Bytes(request.Size)}; this portal takes a .zip of up to {Format.Bytes(max)} (setting Dataset:MaxUploadBytes).");
        Directory.CreateDirectory(Folder);
        ForgetStale();
        if (Directory.EnumerateFiles(Folder, "*.json").Count(f => Read(f)?.Owner == by.Id) >= OpenPerPerson)
            throw Refusal.TooMany($"You have {OpenPerPerson} uploads under way; finish or leave one (unfinished ones are removed after a day).");
        // Room for the upload and for reading it: a full disk stops everything else the portal writes.
        var free = new DriveInfo(Path.GetPathRoot(Path.GetFullPath(Folder))!).AvailableFreeSpace;
        if (free < request.Size + (1L << 30))
            throw Refusal.Busy($"The server has {Format.Bytes(free)} free: not enough for {name} ({Format.Bytes(request.Size)}) and room to spare. Ask an admin.");
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        File.WriteAllText(MetaFile(id), JsonSerializer.Serialize(new Meta(by.Id, name, request.Size, DateTimeOffset.UtcNow)));
        File.Create(PartFile(id)).Dispose();
        log.LogInformation("{User} began uploading {File} ({Bytes} bytes) as {Upload}", by.Id, name, request.Size, id);
        return Status(id, by);
    }

    /// <summary>How much of the upload arrived; a refusal (the same for every id) when it is not the viewer's.</summary>
    public UploadStatus Status(string id, Viewer by)
    {
        var meta = Mine(id, by);
        return new UploadStatus(id, meta.FileName, meta.Size, new FileInfo(PartFile(id)).Length, options.Value.UploadChunkBytes);
    }

    /// <summary>
    /// Appends a piece that starts at <paramref name="offset"/>, which must be what the server holds (a piece sent
    /// twice after a dropped answer is refused as a conflict with the right offset, not appended twice). Bytes are
    /// written as they arrive, so a piece cut off halfway keeps what came and the next one starts after it.
    /// </summary>
    public async Task<UploadStatus> AppendAsync(string id, Viewer by, long offset, Stream body, CancellationToken ct)
    {
        var meta = Mine(id, by);
        var writer = _writers.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        if (!await writer.WaitAsync(0, ct))
            throw new Refusal(RefusalKind.Conflict, [$"Another piece of {meta.FileName} is arriving; ask how much arrived and go on from there."]);
        try
        {
            // Open, never create: an upload imported (moved away) in between is not started again by a late piece.
            FileStream part;
            try { part = new FileStream(PartFile(id), FileMode.Open, FileAccess.Write, FileShare.Read, 1 << 20, useAsync: true); }
            catch (FileNotFoundException) { throw Refusal.NotFound("There is no such upload (it may have been imported, or kept too long). Begin it again."); }
            await using var _ = part;
            part.Seek(0, SeekOrigin.End);
            if (offset != part.Length)
                throw new Refusal(RefusalKind.Conflict, [$"The server holds {part.Length} bytes of {meta.FileName}; send the piece that starts there."]);
            var buffer = new byte[1 << 20];
            int read;
            try
            {
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    if (part.Length + read > meta.Size)
                        throw Refusal.Invalid($"More bytes arrived than {meta.FileName} has ({meta.Size}); begin the upload again.");
                    await part.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            catch (Exception e) when (e is IOException or Microsoft.AspNetCore.Http.BadHttpRequestException or OperationCanceledException)
            {
                // The connection dropped inside the piece: what arrived is kept, the browser asks and goes on from there.
                await part.FlushAsync(CancellationToken.None);
                log.LogInformation("Upload {Upload} was cut off at {Bytes} bytes: {Error}", id, part.Length, e.Message);
                throw;
            }
        }
        finally { writer.Release(); }
        return Status(id, by);
    }

    /// <summary>Imports the finished upload (<see cref="DatasetService.ImportUploadedAsync"/>); the part is gone either way.</summary>
    public async Task<DatasetImportResult> ImportAsync(string id, Viewer by, CancellationToken ct)
    {
        var meta = Mine(id, by);
        var received = new FileInfo(PartFile(id)).Length;
        if (received != meta.Size)
            throw Refusal.Invalid($"{meta.FileName} is not complete yet: {received} of {meta.Size} bytes arrived. Send the rest first.");
        // Imported, or not a data set: the upload is done with. Busy or cancelled: it is kept, to be imported again.
        try
        {
            var imported = await datasets.ImportUploadedAsync(PartFile(id), meta.FileName, by, ct: ct);
            Forget(id);
            return imported;
        }
        catch (PneumoniaPortal.Core.Dataset.DatasetLayoutException)
        {
            Forget(id);
            throw;
        }
    }

    Meta Mine(string id, Viewer by)
    {
        // Ids are 24 hex characters: anything else names no file.
        if (id is not { Length: 24 } || !id.All(Uri.IsHexDigit) || !File.Exists(MetaFile(id)) || !File.Exists(PartFile(id)))
            throw Refusal.NotFound("There is no such upload (it may have been imported, or kept too long). Begin it again.");
        var meta = Read(MetaFile(id));
        if (meta is null || meta.Owner != by.Id) throw Refusal.NotFound("There is no such upload (it may have been imported, or kept too long). Begin it again.");
        return meta;
    }

    static Meta? Read(string metaFile)
    {
        try { return JsonSerializer.Deserialize<Meta>(File.ReadAllText(metaFile)); }
        catch (Exception e) when (e is IOException or JsonException) { return null; }
    }

    /// <summary>Uploads nobody added to for a day, and parts without their description, are removed.</summary>
    void ForgetStale()
    {
        foreach (var file in Directory.EnumerateFiles(Folder).Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".part", StringComparison.Ordinal)))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            var part = PartFile(id);
            var last = File.Exists(part) ? File.GetLastWriteTimeUtc(part) : File.GetLastWriteTimeUtc(file);
            var orphan = (!File.Exists(MetaFile(id)) || !File.Exists(part)) && DateTime.UtcNow - last > TimeSpan.FromMinutes(10);
            if (DateTime.UtcNow - last > KeptFor || orphan) Forget(id);
        }
    }

    void Forget(string id)
    {
        _writers.TryRemove(id, out _);
        try
        {
            File.Delete(PartFile(id));
            File.Delete(MetaFile(id));
        }
        catch (IOException e) { log.LogWarning("Upload {Upload} could not be removed: {Error}", id, e.Message); }
    }

    string MetaFile(string id) => Path.Combine(Folder, id + ".json");
    string PartFile(string id) => Path.Combine(Folder, id + ".part");
}
