using Hangfire;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Sweep.Data;
using Sweep.Data.Queue;
using Sweep.Domain.Sweeps;
using Sweep.Web.Access;
using Sweep.Web.Api;
using Sweep.Web.Components;
using Sweep.Web.Examples;
using Sweep.Web.Sweeps;
using Sweep.Web.Webhooks;

namespace Sweep.Web.Hosting;

public static class WebHostingExtensions
{
    public static WebApplicationBuilder AddSweepWeb(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(SweepDatabase.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("Set ConnectionStrings__Sweep to the PostgreSQL connection string.");
        }

        // Serve package assets (Plotly's scripts) from the build output in every environment, not only in
        // Development: `./sweep up` runs the built app. A published app has no manifest and is unaffected.
        builder.WebHost.UseStaticWebAssets();

        builder.Services.AddOptions<SweepApiOptions>()
            .Bind(builder.Configuration.GetSection(SweepApiOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<SweepApiOptions>>().Value.ToLimits());

        // A missing registration fails at start, not on the first request that needs it.
        builder.Host.UseDefaultServiceProvider(o =>
        {
            o.ValidateOnBuild = true;
            o.ValidateScopes = true;
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSweepDbContext(connectionString);
        builder.Services.AddSweepDataProtection();
        builder.Services.AddSweepProxy(builder.Configuration);
        builder.Services.AddSweepQueueClient(connectionString);
        builder.Services.AddScoped<SweepCreation>();
        builder.Services.AddSweepQueries();
        builder.Services.AddSingleton<HeatmapCache>();
        builder.Services.AddScoped<HeatmapReader>();
        builder.Services.AddScoped<TrialSpeedReader>();
        builder.Services.AddScoped<SweepProgressReader>();
        builder.Services.AddScoped<SweepLifecycle>();
        builder.Services.AddScoped<SweepNotes>();
        builder.Services.AddScoped<TrialCheckpoints>();
        builder.Services.AddScoped<CurveReader>();
        builder.Services.AddScoped<SweepExport>();
        builder.Services.AddOptions<ExampleOptions>().Bind(builder.Configuration.GetSection(ExampleOptions.Section));
        builder.Services.AddSingleton<ExampleLoader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ExampleLoader>());
        builder.Services.AddSweepWebhooks(builder.Configuration);

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(options => SweepApiJson.Configure(options.SerializerOptions));
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer<ApiReferenceDocument>();
            options.AddOperationTransformer<ApiAccessDocumentation>();
            options.AddSchemaTransformer<NamedFloatSchemas>();
        });
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddTransient<IStartupFilter, PlotlyBundle>();
        builder.AddSweepAccess();
        builder.AddSweepWebTelemetry();
        return builder;
    }

    private static IServiceCollection AddSweepQueueClient(this IServiceCollection services, string connectionString)
    {
        // Web only enqueues; it runs no Hangfire server. Workers are separate processes.
        services.AddSweepHangfire(connectionString);
        services.AddSingleton<ITrialQueue, HangfireTrialQueue>();
        return services;
    }

    public static WebApplication UseSweepWeb(this WebApplication app)
    {
        app.UseSweepForwardedHeaders();

        // API callers get RFC 7807 ProblemDetails for every error; browsers get the error page.
        app.UseApiProblems();
        app.UseWhen(
            context => !ApiProblems.IsApi(context) && !app.Environment.IsDevelopment(),
            pages => pages.UseExceptionHandler("/error", createScopeForErrors: true));
        app.UseWhen(context => !ApiProblems.IsApi(context), pages => pages.UseStatusCodePages());
        app.UseSweepAccess();
        app.UseAntiforgery();
        app.MapStaticAssets();

        app.MapOpenApi();
        app.MapScalarApiReference(ApiReferencePage.Configure);
        app.MapHealthChecks("/health");
        app.MapSweepMetrics();
        app.UseHangfireDashboard("/hangfire", AdminDashboardFilter.Options("Sweep queues"));

        app.MapSweepsApi();
        app.MapTrialsApi();
        app.MapNotesApi();
        app.MapWorkersApi();
        app.MapCheckpointsApi();
        app.MapCurvesApi();
        app.MapExportApi();
        app.MapWebhooksApi();
        app.MapSweepAccess();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
