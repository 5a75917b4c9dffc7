namespace Sweep.Web.Access;

/// <summary>
/// At start: with no account yet, create the administrator from SWEEP_ADMIN_EMAIL / SWEEP_ADMIN_PASSWORD when both
/// are set (how `./sweep up` and containers provision one), else say how to create it. Neither value is ever logged
/// except the email.
/// </summary>
internal sealed class AdminBootstrap(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<AdminBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<Accounts>();
        if (await accounts.AnyAsync(cancellationToken))
        {
            return;
        }

        var email = configuration["SWEEP_ADMIN_EMAIL"];
        var password = configuration["SWEEP_ADMIN_PASSWORD"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            logger.LogWarning(
                "No account exists yet. Open /account/register to create the first one (it becomes the administrator), " +
                "or restart with SWEEP_ADMIN_EMAIL and SWEEP_ADMIN_PASSWORD set.");
            return;
        }

        var (user, errors) = await accounts.RegisterAsync(email, password, cancellationToken);
        if (user is null)
        {
            throw new InvalidOperationException(
                "SWEEP_ADMIN_EMAIL / SWEEP_ADMIN_PASSWORD do not make a valid account: " + string.Join(" ", errors.Select(e => e.Description)));
        }

        logger.LogInformation("Created the administrator account {Email}.", email);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
