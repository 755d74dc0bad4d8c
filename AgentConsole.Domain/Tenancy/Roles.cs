namespace AgentConsole.Domain.Tenancy;

/// <summary>The roles of the product. Permissions derive from them; certifications add authority later.</summary>
public static class Roles
{
    public const string Operator = "Operator";
    public const string SeniorOperator = "SeniorOperator";
    public const string PolicyAuthor = "PolicyAuthor";
    public const string GovernanceBoard = "GovernanceBoard";
    public const string Trainer = "Trainer";
    public const string Trainee = "Trainee";
    public const string Auditor = "Auditor";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } =
        [Operator, SeniorOperator, PolicyAuthor, GovernanceBoard, Trainer, Trainee, Auditor, Admin];

    /// <summary>A label for people, e.g. "Senior operator".</summary>
    public static string Label(string role) => role switch
    {
        Operator => "Operator",
        SeniorOperator => "Senior operator",
        PolicyAuthor => "Policy author",
        GovernanceBoard => "Governance board",
        Trainer => "Trainer",
        Trainee => "Trainee",
        Auditor => "Auditor",
        Admin => "Admin",
        _ => role,
    };

    /// <summary>The role as a person in running text, e.g. "an operator", "a senior operator".</summary>
    public static string WithArticle(string role)
    {
        var label = Label(role).ToLowerInvariant();
        return ("aeiou".Contains(label[0], StringComparison.Ordinal) ? "an " : "a ") + label;
    }
}

/// <summary>What a role may do. Pages, API endpoints and Domain services check the same table.</summary>
public static class Permissions
{
    /// <summary>See queues, decisions and their history.</summary>
    public const string ViewQueues = "queues.view";

    /// <summary>Claim, approve, override, reject and escalate decisions (the queue's roles still apply).</summary>
    public const string ActOnDecisions = "decisions.act";

    /// <summary>See the agent catalog and pipeline runs.</summary>
    public const string ViewAgents = "agents.view";

    /// <summary>Send cases to agents through the API (the systems integrated with AgentConsole).</summary>
    public const string SubmitCases = "cases.submit";

    /// <summary>Read policies, their versions, diffs and simulations.</summary>
    public const string ViewPolicies = "policies.view";

    /// <summary>Draft, edit and submit policy versions; propose rollbacks.</summary>
    public const string AuthorPolicies = "policies.author";

    /// <summary>Approve or reject submitted policy versions (never one's own).</summary>
    public const string ReviewPolicies = "policies.review";

    /// <summary>
    /// See the tenant's stored traces: everyone who sees queues or agents (people who follow a decision or a run to
    /// its trace); trainers and trainees do not.
    /// </summary>
    public const string ViewTraces = "traces.view";

    /// <summary>Search and export the tenant's audit trail (read-only).</summary>
    public const string ReadAudit = "audit.read";

    /// <summary>Administer the tenant and the job dashboard.</summary>
    public const string Administer = "admin";

    /// <summary>Verify the tenant's audit chain against its signed checkpoints, see the results, and write a checkpoint now.</summary>
    public const string VerifyAudit = "audit.verify";

    /// <summary>Build training tracks, exercises and scenarios; follow trainees' progress; revoke certifications.</summary>
    public const string ManageTraining = "training.manage";

    /// <summary>See who holds which certification and what expires soon (people who staff queues or check them).</summary>
    public const string ViewCertifications = "certifications.view";

    /// <summary>Work practice sessions and exams in the sandbox, and see one's own training (trainees, and reviewers earning a certification).</summary>
    public const string TakeTraining = "training.take";

    /// <summary>See operators' accuracy on gold items (calibration in production) and who is paused (supervisors and trainers).</summary>
    public const string ViewCalibration = "calibration.view";

    /// <summary>Assign, reassign and release decisions for others, and see what needs attention across the queues.</summary>
    public const string SuperviseQueues = "queues.supervise";

    /// <summary>Pause and resume an agent with a reason (supervisors).</summary>
    public const string PauseAgents = "agents.pause";

    public static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>
    {
        [ViewQueues] = [Tenancy.Roles.Operator, Tenancy.Roles.SeniorOperator, Tenancy.Roles.GovernanceBoard, Tenancy.Roles.PolicyAuthor, Tenancy.Roles.Auditor, Tenancy.Roles.Admin],
        [ActOnDecisions] = [Tenancy.Roles.Operator, Tenancy.Roles.SeniorOperator],
        [ViewAgents] = [Tenancy.Roles.SeniorOperator, Tenancy.Roles.PolicyAuthor, Tenancy.Roles.GovernanceBoard, Tenancy.Roles.Auditor, Tenancy.Roles.Admin],
        [SubmitCases] = [Tenancy.Roles.Admin],
        [ViewPolicies] = [Tenancy.Roles.PolicyAuthor, Tenancy.Roles.GovernanceBoard, Tenancy.Roles.SeniorOperator, Tenancy.Roles.Auditor, Tenancy.Roles.Admin],
        [AuthorPolicies] = [Tenancy.Roles.PolicyAuthor],
        [ReviewPolicies] = [Tenancy.Roles.GovernanceBoard],
        [ViewTraces] = [Tenancy.Roles.Operator, Tenancy.Roles.SeniorOperator, Tenancy.Roles.PolicyAuthor, Tenancy.Roles.GovernanceBoard, Tenancy.Roles.Auditor, Tenancy.Roles.Admin],
        [ReadAudit] = [Tenancy.Roles.Auditor, Tenancy.Roles.Admin],
        [Administer] = [Tenancy.Roles.Admin],
        [VerifyAudit] = [Tenancy.Roles.Auditor, Tenancy.Roles.Admin],
        [ManageTraining] = [Tenancy.Roles.Trainer],
        [TakeTraining] = [Tenancy.Roles.Trainee, Tenancy.Roles.Operator, Tenancy.Roles.SeniorOperator],
        [SuperviseQueues] = [Tenancy.Roles.SeniorOperator],
        [ViewCertifications] = [Tenancy.Roles.Trainer, Tenancy.Roles.SeniorOperator, Tenancy.Roles.Auditor, Tenancy.Roles.Admin],
        [ViewCalibration] = [Tenancy.Roles.Trainer, Tenancy.Roles.SeniorOperator],
        [PauseAgents] = [Tenancy.Roles.SeniorOperator],
    };

    public static bool Allows(string permission, IEnumerable<string> roles) =>
        Roles.TryGetValue(permission, out var allowed) && roles.Any(r => allowed.Contains(r, StringComparer.Ordinal));
}
