using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentConsole.Tests.Infrastructure;

/// <summary>Reads an API's ProblemDetails answer: the status and media type checked, the body and its field errors.</summary>
public static class Problems
{
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The fields the problem's <c>errors</c> names, in order.</summary>
    public static IEnumerable<string> ErrorFields(JsonElement problem) => problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
}
