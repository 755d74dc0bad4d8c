using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>
/// A web node or worker started from the build output as its own process, as it runs in
/// production: its own memory, Hangfire server, Redis connection and SignalR hub.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private int _disposed;

    private NodeProcess(string name, Process process, Uri? address)
    {
        Name = name;
        _process = process;
        Address = address;
    }

    public string Name { get; }

    /// <summary>Where a web node listens; null for a worker.</summary>
    public Uri? Address { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static NodeProcess StartWeb(string name, IDictionary<string, string?> settings, int? port = null)
    {
        var address = LoopbackAddress(port);
        var environment = new Dictionary<string, string?>(settings) { ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/') };
        return Start(name, "AgentConsole.Web", environment, address);
    }

    public static NodeProcess StartWorker(string name, IDictionary<string, string?> settings) => Start(name, "AgentConsole.Jobs", settings, null);

    /// <summary>
    /// The console as the README starts it — <c>dotnet run --project AgentConsole.Web</c>, with its launch
    /// profile — from the existing build, with extra arguments (e.g. <c>--urls</c>).
    /// </summary>
    public static NodeProcess DotnetRunWeb(string name, IEnumerable<string> arguments, IDictionary<string, string?> settings, Uri address) =>
        Launch(name, ["run", "--project", Path.Combine(TestPaths.RepositoryRoot, "AgentConsole.Web"), "--no-build", "-c", TestPaths.Configuration, .. arguments],
            TestPaths.RepositoryRoot, settings, address);

    /// <summary>The web host's build output run in <paramref name="workingDirectory"/>, as an unpacked copy of the console would run there.</summary>
    public static NodeProcess StartWebIn(string name, string workingDirectory, IDictionary<string, string?> settings, Uri address) =>
        Launch(name, [HostDll("AgentConsole.Web")], workingDirectory, settings, address);

    /// <summary>A command of the job host (e.g. <c>verify-audit</c>), run from its build output until it exits by itself.</summary>
    public static NodeProcess RunJobsCommand(string name, IEnumerable<string> arguments, IDictionary<string, string?> settings) =>
        StartDll(name, HostDll("AgentConsole.Jobs"), arguments, settings, null);

    /// <summary>Any .NET program as a node, e.g. a bare baseline server; ready when its address answers /health/ready.</summary>
    public static NodeProcess StartProgram(string name, string dll, IEnumerable<string> arguments, IDictionary<string, string?> settings, Uri? address) =>
        StartDll(name, dll, arguments, settings, address);

    /// <summary>Waits for a web node to be ready, or a worker to report its job server; fails with the node's output otherwise.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}:\n{Output}");
            }

            if (Address is null ? Output.Contains("Job server ready", StringComparison.Ordinal) : await IsReadyAsync(http))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds} s:\n{Output}");
    }

    /// <summary>Waits for the process to end by itself (e.g. a failed start-up check).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once, as <c>kill -9</c> would: no shutdown, no cleanup.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<bool> IsReadyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(Address!, "/health/ready"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static NodeProcess Start(string name, string project, IDictionary<string, string?> settings, Uri? address) =>
        StartDll(name, HostDll(project), [], settings, address);

    private static string HostDll(string project)
    {
        var dll = Path.Combine(TestPaths.RepositoryRoot, project, "bin", TestPaths.Configuration, "net10.0", $"{project}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is missing: build the solution in {TestPaths.Configuration} first.");
    }

    private static NodeProcess StartDll(string name, string dll, IEnumerable<string> arguments, IDictionary<string, string?> settings, Uri? address) =>
        Launch(name, [dll, .. arguments], Path.GetDirectoryName(dll)!, settings, address);

    private static NodeProcess Launch(string name, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?> settings, Uri? address)
    {
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var node = new NodeProcess(name, process, address);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>http://127.0.0.1 on the given port, or on a free one.</summary>
    public static Uri LoopbackAddress(int? port = null) => new($"http://127.0.0.1:{port ?? FreePort()}");

    /// <summary>The process id, for memory readings.</summary>
    public int ProcessId => _process.Id;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
