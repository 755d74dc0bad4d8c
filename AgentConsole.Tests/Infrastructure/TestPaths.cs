namespace AgentConsole.Tests.Infrastructure;

public static class TestPaths
{
    /// <summary>The folder holding AgentConsole.sln, found from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The build configuration the tests were built in (Debug or Release); the hosts' output is beside them.</summary>
    public static string Configuration { get; } = Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!;

    /// <summary>A folder under <c>artifacts/</c> for files a test run leaves for people to read.</summary>
    public static string ArtifactsDirectory(string name)
    {
        var path = Path.Combine(RepositoryRoot, "artifacts", name);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentConsole.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"AgentConsole.sln was not found above {AppContext.BaseDirectory}.");
    }

    public static string NewDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "agentconsole-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection; the temp folder is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
