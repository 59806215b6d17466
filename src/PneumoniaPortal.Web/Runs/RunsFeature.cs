using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using PneumoniaPortal.Training.Native;

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
        var section = builder.Configuration.GetSection("Training");
        services.Configure<TrainingOptions>(section);
        var options = section.Get<TrainingOptions>() ?? new TrainingOptions();
        if (options.Nice is < 0 or > PneumoniaPortal.Training.Native.ThreadNice.Lowest)
            throw new PortalStartupException($"Training:Nice is the training threads' Linux nice value, from 0 (normal priority) to 19 (lowest); it is {options.Nice}.");

        // One storage object per host, built inside the container (not Hangfire's static one), so several portals in
        // one test process stay apart and each logs through its own logger factory.
        services.AddSingleton<JobStorage>(sp =>
        {
            sp.GetRequiredService<IGlobalConfiguration>();
            return options.Storage switch
            {
                "postgres" => new PostgreSqlStorage(
                    new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(
                        builder.Configuration.GetConnectionString("Hangfire") ?? throw new InvalidOperationException("Training:Storage is postgres but ConnectionStrings:Hangfire is not set."),
                        // Hangfire's default 15 s poll would leave an idle worker waiting ~12 s before a new run starts.
                        new PostgreSqlStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) })),
                _ => new InMemoryStorage(),
            };
        });
        services.AddHangfire(c => c.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings().UseTypeResolver(TrainingJob.ResolveType));
        if (options.Worker && Scale.PortalRole.From(builder.Configuration).Trains)
            services.AddHangfireServer((sp, o) =>
            {
                // Training uses every core (or the whole GPU): one run at a time per worker unless configured.
                o.WorkerCount = Math.Clamp(options.ConcurrentRuns, 1, 16);
                o.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
                o.Queues = TrainingQueues.Local == TrainingQueues.Gpu ? [TrainingQueues.Gpu, TrainingQueues.Cpu, "default"] : [TrainingQueues.Cpu, "default"];
                o.ServerName = $"{Environment.MachineName}-{TrainingQueues.Local}";
            });

        var signalR = services.AddSignalR().AddJsonProtocol(o => ApiRequestExtensions.Strict(o.PayloadSerializerOptions));
        if (builder.Configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("pneumonia-portal"));

        if (options.MaxMinutesPerRun <= 0 || options.MaxBatchMemoryMiB <= 0 || options.MaxRunTimeFactor <= 0)
            throw new PortalStartupException("Training:MaxMinutesPerRun, Training:MaxBatchMemoryMiB and Training:MaxRunTimeFactor must be above 0; " +
                $"they are {options.MaxMinutesPerRun}, {options.MaxBatchMemoryMiB} and {options.MaxRunTimeFactor}.");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WorkerSpeeds>();
        services.AddScoped<RunCostEstimator>();
        if (options.Worker && options.Calibrate && Scale.PortalRole.From(builder.Configuration).Trains)
            services.AddHostedService<WorkerCalibration>();
        services.AddSingleton<RunCancellation>();
        services.AddSingleton<RunNotifier>();
        services.AddTransient<TrainingJob>();
        services.AddSingleton<WorkerIdentity>();
        services.AddScoped<RunService>();
        services.AddScoped<IRunLauncher>(sp => sp.GetRequiredService<RunService>());
        services.AddSingleton<IPortalStartupStep, RunRecovery>();
    }
}
