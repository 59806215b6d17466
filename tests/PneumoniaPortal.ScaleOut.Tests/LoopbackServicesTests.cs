using Npgsql;
using PneumoniaPortal.ScaleOut.Tests.Infrastructure;

namespace PneumoniaPortal.ScaleOut.Tests;

/// <summary>The services the cluster tests stand on: they start, answer, go away and come back on the same port.</summary>
[Collection(ScaleOutCollection.Name)]
public sealed class LoopbackServicesTests
{
    [ScaleOutFact]
    public async Task PostgreSQL_gives_each_test_its_own_database_and_comes_back_after_a_stop_with_its_data()
    {
        var postgres = await PostgresServer.SharedAsync();
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();
        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);
        await ExecuteAsync(first, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");

        await postgres.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(first, "SELECT 1"));
        await postgres.StartAsync();
        Assert.Equal(42, await ExecuteAsync(first, "SELECT id FROM kept"));
        await postgres.DropDatabaseAsync(first);
        await postgres.DropDatabaseAsync(second);
    }

    [ScaleOutFact]
    public async Task Redis_answers_on_its_own_port_and_comes_back_after_a_stop()
    {
        await using var redis = await RedisServer.StartNewAsync();
        Assert.NotEqual(6379, redis.Port);
        Assert.True(await redis.PingAsync());
        await redis.StopAsync();
        Assert.False(await redis.PingAsync());
        await redis.StartAsync();
        Assert.True(await redis.PingAsync());
    }

    static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
