using Microsoft.Extensions.Options;

namespace AgentConsole.Web.Tenancy;

/// <summary>What the web host checks about sign-in before it serves anything.</summary>
public static class SignInStartup
{
    /// <summary>The sign-in settings are usable (one line saying what to set otherwise, via the options' validation).</summary>
    public static void CheckSignInSettings(this IServiceProvider services) =>
        _ = services.GetRequiredService<IOptions<ConsoleAuthenticationOptions>>().Value;

    /// <summary>Creates the console tenants the tenant map names that do not exist yet (single sign-on modes only).</summary>
    public static async Task EnsureMappedTenantsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<ConsoleAuthenticationOptions>>().Value;
        if (options.Mode == AuthenticationMode.Demo)
        {
            return;
        }

        var provisioning = services.GetRequiredService<UserProvisioning>();
        foreach (var tenant in options.Tenants.GroupBy(t => t.ConsoleTenant, StringComparer.Ordinal).Select(g => g.First()))
        {
            await provisioning.EnsureTenantAsync(tenant.ConsoleTenant, tenant.Name, cancellationToken);
        }
    }
}
