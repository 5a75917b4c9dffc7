namespace Sweep.Web.Access;

/// <summary>
/// At start, while no account exists: create the administrator from SWEEP_ADMIN_EMAIL / SWEEP_ADMIN_PASSWORD when both
/// are set (how `./sweep up` and containers provision one), else make a one-time setup code and print it, so that
/// only someone who reads this process's log can become the administrator (the registration page asks for the code
/// whatever the registration mode). Each start replaces an unused code. The password is never logged.
/// </summary>
internal sealed partial class AdminBootstrap(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<AdminBootstrap> logger) : IHostedService
{
    /// <summary>The start of the line that `./sweep up` and operators look for in the log.</summary>
    public const string SetupCodeLine = "First administrator setup code:";

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
            var (code, expires) = await scope.ServiceProvider.GetRequiredService<Invites>().NewSetupCodeAsync(cancellationToken);
            LogSetupCode(code, expires, "/account/register?setup=" + code);
            return;
        }

        var (user, errors) = await accounts.RegisterAdministratorAsync(email, password, cancellationToken);
        if (user is null)
        {
            throw new InvalidOperationException(
                "SWEEP_ADMIN_EMAIL / SWEEP_ADMIN_PASSWORD do not make a valid account: " + string.Join(" ", errors.Select(e => e.Description)));
        }

        LogCreated(email);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No account exists yet. " + SetupCodeLine + " {SetupCode} (valid until {ExpiresAt:u}, once). " +
        "Open {RegisterPath} to create the administrator, or restart with SWEEP_ADMIN_EMAIL and SWEEP_ADMIN_PASSWORD set.")]
    private partial void LogSetupCode(string setupCode, DateTimeOffset expiresAt, string registerPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the administrator account {Email}.")]
    private partial void LogCreated(string email);
}
