namespace Sweep.Web.Webhooks;

public static class WebhookHostingExtensions
{
    /// <summary>The webhooks service for the API and pages, and the outbox's delivery service with its HTTP client.</summary>
    public static IServiceCollection AddSweepWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var timeout = TimeSpan.FromSeconds(configuration.GetSection(WebhookOptions.Section).GetValue(nameof(WebhookOptions.TimeoutSeconds), new WebhookOptions().TimeoutSeconds));
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllLoggers(); // Its default lines log the URL, and a Slack hook's URL is itself a secret.
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<ProjectWebhooks>();
        services.AddSingleton<WebhookDeliveryStore>();
        services.AddSingleton<WebhookSender>();
        services.AddHostedService<WebhookDeliveryService>();
        return services;
    }
}
