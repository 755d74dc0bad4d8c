namespace AgentConsole.Web.Hosting;

public static class StatusPages
{
    /// <summary>People get the console's "not found" page; API and hub clients keep their plain status codes.</summary>
    public static IApplicationBuilder UseConsoleStatusPages(this IApplicationBuilder app) =>
        app.UseWhen(
            context => !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/hubs"),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
}
