namespace Sweep.Web.Sweeps;

/// <summary>
/// The sweep queries in one registration, so that the app and the tests' hosts register the same set. Scoped: the
/// list query reads the caller's access, which is per request or circuit.
/// </summary>
public static class SweepQueriesHostingExtensions
{
    public static IServiceCollection AddSweepQueries(this IServiceCollection services)
    {
        services.AddScoped<SweepListPageQuery>();
        services.AddScoped<SweepDetailQuery>();
        services.AddScoped<LiveSweepQuery>();
        services.AddSingleton<LiveSweepCache>();
        services.AddScoped<SweepTrialsQuery>();
        services.AddScoped<TrialDetailQuery>();
        services.AddScoped<MetricHistoryQuery>();
        services.AddScoped<TrialLogQuery>();
        services.AddScoped<TrialResultsQuery>();
        services.AddScoped<EpochValuesQuery>();
        services.AddScoped<SweepSpecQuery>();
        services.AddScoped<ResultsVersionQuery>();
        return services;
    }
}
