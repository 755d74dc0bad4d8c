namespace AgentConsole.Tests.Infrastructure;

public static class TestPaths
{
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
