namespace AgentConsole.Domain.Traces;

/// <summary>
/// The attribute names the product's spans carry: OpenTelemetry's semantic conventions where one exists
/// (<c>gen_ai.*</c> for agent inference, <c>error.type</c>), <c>agentconsole.*</c> for the product's own.
/// Spans carry ids, versions, routes and reviewers' reasons, never a case's input values.
/// </summary>
public static class SpanAttributes
{
    /// <summary>The tenant the span's work belongs to; the span store keeps only spans it can give a tenant.</summary>
    public const string TenantId = "agentconsole.tenant.id";

    public const string RunId = "agentconsole.run.id";

    public const string DecisionId = "agentconsole.decision.id";

    public const string AgentKey = "agentconsole.agent.key";

    public const string AgentVersion = "agentconsole.agent.version";

    /// <summary>How a case arrived: <c>api</c> (submitted by another system) or <c>feed</c>.</summary>
    public const string IntakeChannel = "agentconsole.intake.channel";

    public const string RunAttempt = "agentconsole.run.attempt";

    public const string Confidence = "agentconsole.decision.confidence";

    public const string Risk = "agentconsole.decision.risk";

    public const string PolicyVersionId = "agentconsole.policy.version_id";

    /// <summary>What routed the proposal, e.g. <c>policy:DynamicPricing v3</c>, <c>no policy</c>.</summary>
    public const string PolicyRoutedBy = "agentconsole.policy.routed_by";

    public const string PolicyRulesFired = "agentconsole.policy.rules_fired";

    public const string Route = "agentconsole.route";

    public const string RouteReason = "agentconsole.route.reason";

    public const string QueueId = "agentconsole.queue.id";

    public const string QueueName = "agentconsole.queue.name";

    public const string QueueTier = "agentconsole.queue.tier";

    /// <summary>claim, release, approve, override, reject or escalate.</summary>
    public const string ReviewAction = "agentconsole.review.action";

    public const string ReviewReason = "agentconsole.review.reason";

    /// <summary>Seconds from the proposal to this reviewer's action.</summary>
    public const string ReviewWaitedSeconds = "agentconsole.review.waited_s";

    /// <summary>The decision's status after the action.</summary>
    public const string ReviewOutcome = "agentconsole.review.outcome";

    public const string ReviewerId = "agentconsole.reviewer.id";

    public const string ReviewerName = "agentconsole.reviewer.name";

    public const string ReviewerKind = "agentconsole.reviewer.kind";

    public const string Connector = "agentconsole.execution.connector";

    public const string ExecutionAttempt = "agentconsole.execution.attempt";

    public const string ExecutionAttempts = "agentconsole.execution.attempts";

    /// <summary>succeeded, compensated or failed.</summary>
    public const string ExecutionOutcome = "agentconsole.execution.outcome";

    public const string ExecutionCompensated = "agentconsole.execution.compensated";

    public const string ExecutionReference = "agentconsole.execution.reference";

    public const string JobId = "agentconsole.job.id";

    public const string JobQueue = "agentconsole.job.queue";

    /// <summary>On a link: what the linked span is to this one — <c>run</c> (the run's trace this span joins), <c>request</c> or <c>review</c>.</summary>
    public const string LinkType = "agentconsole.link.type";

    /// <summary>Which kind of failure ended the span (OpenTelemetry <c>error.type</c>: the exception's type).</summary>
    public const string ErrorType = "error.type";

    /// <summary>OpenTelemetry GenAI semantic conventions, as the built-in and model-backed agents report them.</summary>
    public static class GenAi
    {
        public const string OperationName = "gen_ai.operation.name";

        public const string ProviderName = "gen_ai.provider.name";

        /// <summary>The provider under its earlier name, which backends on older conventions (and their GenAI views) still read.</summary>
        public const string System = "gen_ai.system";

        public const string RequestModel = "gen_ai.request.model";

        public const string ResponseModel = "gen_ai.response.model";

        public const string AgentId = "gen_ai.agent.id";

        public const string AgentName = "gen_ai.agent.name";

        public const string InputTokens = "gen_ai.usage.input_tokens";

        public const string OutputTokens = "gen_ai.usage.output_tokens";

        /// <summary>The operation an agent's proposal is: the agent is invoked on one case.</summary>
        public const string InvokeAgent = "invoke_agent";
    }
}
