namespace AgentConsole.Tests.Infrastructure;

/// <summary>
/// A console host shared by the tests of one class (an xunit class or collection fixture), started before them and
/// disposed after; a subclass names its settings.
/// </summary>
public abstract class ConsoleHost(ConsoleFactory factory) : IAsyncLifetime
{
    public ConsoleFactory Factory { get; } = factory;

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
