using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using PneumoniaPortal.Training.Native;
using PneumoniaPortal.Web.Training;

namespace PneumoniaPortal.Web;

public static class TrainingExtensions
{
    /// <summary>
    /// The training queue (Hangfire: in-memory on one machine, PostgreSQL to share it between machines), one worker
    /// per device, the live-update hub (SignalR, with a Redis backplane when <c>ConnectionStrings:Redis</c> is set).
    /// </summary>
    public static void AddTraining(this WebApplicationBuilder builder)
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
        services.AddHangfire(c => c.UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings());
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

    public static void MapTrainingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<TrainingHub>(TrainingHub.Path);

        // The same operations as the pages, for scripts and tests; every one checks the caller's ownership.
        var api = endpoints.MapGroup("/api/runs").RequireAuthorization();
        api.MapGet("", async (RunService runs, bool? all) => Results.Ok(await runs.ListAsync(all ?? false)));
        api.MapGet("/{id:int}", async (RunService runs, int id) =>
            await runs.GetAsync(id) is { } d
                ? Results.Ok(new { d.Run.Id, d.Run.Name, Status = d.Run.Status.ToString(), d.Run.Message, d.Run.Error, d.Run.EpochsDone, d.Run.EpochsPlanned, d.QueuePosition, d.History })
                : Results.NotFound(new { problems = new[] { $"Run {id} does not exist or is not yours to see." } }));
        api.MapPost("", async (RunService runs, StartRunRequest request) =>
        {
            var result = await runs.StartAsync(request);
            return result.Started ? Results.Created($"/runs/{result.RunId}", new { id = result.RunId }) : Results.Json(new { problems = result.Problems }, statusCode: result.Status);
        });
        api.MapPost("/{id:int}/cancel", async (RunService runs, int id) =>
            await runs.CancelAsync(id) is { } problem ? Results.BadRequest(new { problems = new[] { problem } }) : Results.NoContent());
        api.MapPost("/{id:int}/resume", async (RunService runs, int id) =>
            await runs.ResumeAsync(id) is { Started: false } refused ? Results.Json(new { problems = refused.Problems }, statusCode: refused.Status) : Results.NoContent());
    }
}
