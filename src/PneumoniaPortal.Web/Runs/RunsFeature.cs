using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;

namespace PneumoniaPortal.Web.Runs;

public static class RunsFeature
{
    /// <summary>
    /// The runs feature: the training queue (Hangfire: in-memory on one machine, PostgreSQL to share it between machines), one worker
    /// per device, the live-update hub (SignalR, with a Redis backplane when <c>ConnectionStrings:Redis</c> is set).
    /// </summary>
    public static void AddRuns(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Settings<TrainingOptions>(TrainingOptions.Section);
        var connections = builder.Settings<ConnectionStringsOptions>(ConnectionStringsOptions.Section);
        var trains = options.Worker && Scale.PortalRole.From(builder.Settings<PortalOptions>(PortalOptions.Section)).Trains;
        if (options.Storage == "postgres" && string.IsNullOrWhiteSpace(connections.Hangfire))
            throw new PortalStartupException("Training:Storage is postgres but ConnectionStrings:Hangfire (environment ConnectionStrings__Hangfire) is not set.");

        // One storage object per host, built inside the container (not Hangfire's static one), so several portals in
        // one test process stay apart and each logs through its own logger factory.
        services.AddSingleton<JobStorage>(sp =>
        {
            sp.GetRequiredService<IGlobalConfiguration>();
            return options.Storage switch
            {
                "postgres" => new PostgreSqlStorage(
                    new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(
                        connections.Hangfire,
                        // Hangfire's default 15 s poll would leave an idle worker waiting ~12 s before a new run starts.
                        new PostgreSqlStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) })),
                _ => new InMemoryStorage(),
            };
        });
        services.AddHangfire(c => c.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings().UseTypeResolver(TrainingJob.ResolveType));
        if (trains)
            services.AddHangfireServer((sp, o) =>
            {
                // Training uses every core (or the whole GPU): one run at a time per worker unless configured.
                o.WorkerCount = Math.Clamp(options.ConcurrentRuns, 1, 16);
                o.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
                o.Queues = TrainingQueues.Local == TrainingQueues.Gpu ? [TrainingQueues.Gpu, TrainingQueues.Cpu, "default"] : [TrainingQueues.Cpu, "default"];
                o.ServerName = $"{Environment.MachineName}-{TrainingQueues.Local}";
            });

        var signalR = services.AddSignalR().AddJsonProtocol(o => ApiRequestExtensions.Strict(o.PayloadSerializerOptions));
        if (connections.Redis is { Length: > 0 } redis)
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("pneumonia-portal"));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WorkerSpeeds>();
        services.AddScoped<RunCostEstimator>();
        if (trains && options.Calibrate)
            services.AddHostedService<WorkerCalibration>();
        services.AddSingleton<RunCancellation>();
        services.AddSingleton<RunNotifier>();
        services.AddSingleton<RunLifecycle>();
        services.AddTransient<TrainingJob>();
        services.AddSingleton<WorkerIdentity>();
        services.AddScoped<RunService>();
        services.AddScoped<IRunLauncher>(sp => sp.GetRequiredService<RunService>());
        services.AddSingleton<DemoExampleRun>();
        services.AddSingleton<IPortalStartupStep, RunRecovery>();
    }
}
