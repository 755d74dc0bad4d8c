namespace AgentConsole.Web.Components;

/// <summary>
/// A component that follows decision events live. Subscribe after the first render; the filter
/// runs on the publisher's thread (keep it cheap), the update on this circuit's dispatcher.
/// <para>
/// An update that fails (the database does not answer) does not break the console: the view is
/// marked stale, the layout says live updates are paused, and the full reload is retried every
/// <see cref="RetryInterval"/> until it succeeds. A resync (events may have been missed, e.g. after
/// a Redis outage) runs the full reload too. Unsubscribes on dispose.
/// </para>
/// </summary>
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    /// <summary>How often a stale view retries its reload.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _disposed = new();
    private IDisposable? _subscription;
    private IDisposable? _resyncSubscription;
    private Func<Task> _reload = () => Task.CompletedTask;
    private int _reloadPending;
    private int _retrying;

    [Inject]
    private DecisionEventBus Events { get; set; } = default!;

    [Inject]
    private LiveUpdates Live { get; set; } = default!;

    [Inject]
    private ILogger<LiveComponentBase> Logger { get; set; } = default!;

    /// <summary>
    /// Applies each matching event; <paramref name="reload"/> rebuilds the whole view from the
    /// database (after a failure or a resync) and must render what it changed.
    /// </summary>
    protected void FollowEvents(Func<DecisionEvent, bool> matches, Func<DecisionEvent, Task> apply, Func<Task> reload)
    {
        _subscription?.Dispose();
        _resyncSubscription?.Dispose();
        _reload = reload;
        _subscription = Events.Subscribe(e =>
        {
            if (matches(e))
            {
                _ = InvokeAsync(() => RunAsync(() => apply(e)));
            }

            return Task.CompletedTask;
        });
        _resyncSubscription = Events.SubscribeResync(() =>
        {
            _ = InvokeAsync(() => RunAsync(_reload));
            return Task.CompletedTask;
        });
    }

    /// <summary>Reloads once per burst of matching events, after a short pause, then renders.</summary>
    protected void ReloadOnEvents(Func<DecisionEvent, bool> matches, TimeSpan pause, Func<Task> reload)
    {
        async Task ReloadAndRenderAsync()
        {
            await reload();
            StateHasChanged();
        }

        FollowEvents(e => matches(e) && Interlocked.Exchange(ref _reloadPending, 1) == 0, async _ =>
        {
            await Task.Delay(pause);
            Interlocked.Exchange(ref _reloadPending, 0);
            await ReloadAndRenderAsync();
        }, ReloadAndRenderAsync);
    }

    private async Task RunAsync(Func<Task> update)
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await update();
            Live.ReportCurrent(this);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "A live view could not be refreshed; retrying every {Seconds} s", RetryInterval.TotalSeconds);
            Live.ReportFailed(this);
            StartRetrying();
        }
    }

    private void StartRetrying()
    {
        if (Interlocked.Exchange(ref _retrying, 1) == 1)
        {
            return;
        }

        // Read once, before the view can be disposed: the token stays valid after its source is disposed.
        var closed = _disposed.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                while (!closed.IsCancellationRequested)
                {
                    await Task.Delay(RetryInterval, closed);
                    var recovered = false;
                    await InvokeAsync(async () =>
                    {
                        try
                        {
                            await _reload();
                            Live.ReportCurrent(this);
                            recovered = true;
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            Logger.LogDebug(ex, "A live view is still stale");
                        }
                    });
                    if (recovered)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The view was closed while stale.
            }
            finally
            {
                Interlocked.Exchange(ref _retrying, 0);
            }
        });
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _subscription?.Dispose();
            _resyncSubscription?.Dispose();
            Live.ReportCurrent(this);
            _disposed.Cancel();
            _disposed.Dispose();
        }
    }
}
