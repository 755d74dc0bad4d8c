using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Queues;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AgentConsole.Tests.Integration.Tenancy;

/// <summary>
/// A program follows the queue hub over WebSockets with its bearer token (in <c>access_token</c>, as browsers must);
/// disabling its account closes the connection within the revalidation interval (1 s here), on the node holding it.
/// </summary>
[Collection(SingleSignOnCollection.Name)]
public sealed class HubRevocationTests(SingleSignOnFixture fixture)
{
    [Fact]
    public async Task DisablingAnAccount_ClosesItsHubConnection_WithinTheInterval()
    {
        var token = await fixture.Provider.ClientCredentialsTokenAsync("hub-bot");
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Console.ServerAddress, QueueHub.Path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        await connection.InvokeAsync("SubscribeQueue", ConsoleFactory.QueueId("pricing-t1"));
        var bot = await fixture.Console.ReadAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Subject == "hub-bot"));
        var admin = (await fixture.Console.ReadAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Subject == "admin"))).ToActor();

        await using (var scope = fixture.Console.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().DisableAsync(bot.Id, admin, "Its job was retired");
        }

        var finished = await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(15)));
        Assert.Same(closed.Task, finished);
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
        await Assert.ThrowsAnyAsync<Exception>(() => new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Console.ServerAddress, QueueHub.Path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build().StartAsync());
    }
}
