using System.ComponentModel.DataAnnotations;

namespace AgentConsole.Domain.Tenancy;

/// <summary>The embedded default's demo tenant, users and business feed (section <c>Demo</c>). Never in Production.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Seed the demo tenants and users and allow demo sign-in (default true; refused in Production).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Password of every demo user (default <c>demo</c>).</summary>
    [Required]
    public string Password { get; set; } = "demo";

    /// <summary>Run the simulated business feed (default true).</summary>
    public bool Feed { get; set; } = true;

    /// <summary>Seconds between demo ticks, in which the feed adds cases and the demo colleagues act (default 6; the first tick comes at start).</summary>
    [Range(1, 3600)]
    public int FeedEverySeconds { get; set; } = 6;

    /// <summary>Cases per tick and tenant (default 2).</summary>
    [Range(1, 1000)]
    public int CasesPerTick { get; set; } = 2;

    /// <summary>Past decisions the demo tenant starts with, for policy simulations (default 0; the shipped settings ask for 2,000).</summary>
    [Range(0, 200_000)]
    public int HistoryDecisions { get; set; }

    /// <summary>Days the past decisions spread over (default 30).</summary>
    [Range(1, 365)]
    public int HistoryDays { get; set; } = 30;

    /// <summary>
    /// Stop feeding an agent while one of its use case's queues holds this many open decisions (default 20), so an
    /// idle demo stays readable; the other agents are still fed.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxOpenPerQueue { get; set; } = 20;

    /// <summary>
    /// Demo colleagues work the queues nobody signed in is working (default true). They act only while the feed
    /// runs, so <c>Demo:Feed=false</c> turns them off too.
    /// </summary>
    public bool Colleagues { get; set; } = true;

    /// <summary>Seconds an item waits in its queue before a demo colleague takes it, so people see it first (default 120).</summary>
    [Range(0, 86_400)]
    public int ColleagueWaitSeconds { get; set; } = 120;

    /// <summary>
    /// Typical seconds a demo colleague takes to decide an item after claiming it (default 30); each item takes
    /// between half and one and a half times as long.
    /// </summary>
    [Range(1, 3600)]
    public int ColleagueThinkSeconds { get; set; } = 30;

    /// <summary>
    /// Minutes demo colleagues leave a queue alone after a person claimed, released or decided an item in it
    /// (default 5): the person is working that queue.
    /// </summary>
    [Range(1, 1440)]
    public int ColleaguesYieldMinutes { get; set; } = 5;
}
