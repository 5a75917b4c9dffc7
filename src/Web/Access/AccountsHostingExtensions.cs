namespace Sweep.Web.Access;

/// <summary>Registration: its options (validated at start), invites and the account service.</summary>
internal static class AccountsHostingExtensions
{
    public static IServiceCollection AddSweepAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<Invites>();
        services.AddScoped<Accounts>();
        return services;
    }
}
