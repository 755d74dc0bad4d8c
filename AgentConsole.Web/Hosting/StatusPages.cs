namespace AgentConsole.Web.Hosting;

public static class StatusPages
{
    /// <summary>
    /// People get a console page that explains an empty error answer ("not found", "access denied", "sign in first"),
    /// with the answer's status code kept; API and hub clients keep their plain status codes.
    /// </summary>
    public static IApplicationBuilder UseConsoleStatusPages(this IApplicationBuilder app) =>
        app.UseWhen(
            context => !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/hubs"),
            branch => branch.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true));
}
