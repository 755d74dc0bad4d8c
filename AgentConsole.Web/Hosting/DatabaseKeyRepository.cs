using System.Xml.Linq;
using AgentConsole.Domain.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace AgentConsole.Web.Hosting;

/// <summary>
/// Keeps the data-protection key ring in the domain database, so a sign-in cookie issued by one
/// web node is accepted by every other node (and survives restarts).
/// </summary>
internal sealed class DatabaseKeyRepository(DatabaseProvider database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = database.Create(new TenantContext());
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = database.Create(new TenantContext());
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}

internal static class DataProtectionRegistration
{
    /// <summary>One key ring for every web node of the installation, in its database.</summary>
    public static IServiceCollection AddSharedDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("AgentConsole");
        services.AddOptions<KeyManagementOptions>().Configure<DatabaseProvider>((o, database) => o.XmlRepository = new DatabaseKeyRepository(database));
        return services;
    }
}
