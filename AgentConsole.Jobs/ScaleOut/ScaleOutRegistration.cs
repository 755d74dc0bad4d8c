namespace AgentConsole.Jobs.ScaleOut;

public static class ScaleOutRegistration
{
    /// <summary>The Redis link between nodes and the event fan-out, when <c>ScaleOut:Redis</c> is set.</summary>
    public static IHostApplicationBuilder AddAgentConsoleScaleOut(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ScaleOutOptions>().BindConfiguration(ScaleOutOptions.Section).ValidateDataAnnotations()
            .Validate(o => !o.Enabled || IsReadable(o.Redis), "ScaleOut:Redis is not a valid Redis configuration string (expected e.g. 'host:6379,password=…').")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(ScaleOutOptions.Section).Get<ScaleOutOptions>() ?? new ScaleOutOptions();
        if (!options.Enabled)
        {
            return builder;
        }

        services.AddSingleton<RedisConnection>();
        services.AddHostedService<RedisEventFanout>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }

    private static bool IsReadable(string configuration)
    {
        try
        {
            _ = StackExchange.Redis.ConfigurationOptions.Parse(configuration);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
