namespace PneumoniaPortal.ScaleOut.Tests.Infrastructure;

/// <summary>
/// The collection every scale-out test class joins (<c>[Collection(ScaleOutCollection.Name)]</c>): when its last test
/// has run, the shared PostgreSQL server and Chromium are stopped. The test host may be killed right after the run,
/// before its exit handlers finish, so this is where they are reliably ended.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ScaleOutCollection : ICollectionFixture<SharedServices>
{
    public const string Name = "Scale-out";
}

/// <summary>Ends what tests share across classes (<see cref="PostgresServer.SharedAsync"/>, <see cref="PortalBrowser.SharedAsync"/>); starts nothing.</summary>
public sealed class SharedServices : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await PortalBrowser.DisposeSharedAsync();
        await PostgresServer.DisposeSharedAsync();
    }
}
