using System.Collections.Concurrent;
using System.Globalization;
using AgentConsole.Domain.Decisions;
using NCalc;

namespace AgentConsole.Domain.Policies;

/// <summary>What a policy decided for one proposal, and why.</summary>
/// <param name="Tier">The review tier (review only).</param>
/// <param name="Risk">The risk level after the rules that raise it.</param>
/// <param name="Requirement">Who must review it (review only).</param>
/// <param name="RulesFired">Stable ids of what decided, e.g. <c>rule:large-discount</c>, <c>limit:discount-cap</c>.</param>
public sealed record PolicyOutcome(DecisionRoute Route, int Tier, RiskLevel Risk, ReviewRequirement? Requirement, IReadOnlyList<string> RulesFired, string Reason);

/// <summary>
/// A policy version ready to route: its conditions parsed once, evaluated many times. Thread-safe;
/// NCalc's expression objects are not, so each thread rents its own set from a small pool.
/// </summary>
public sealed class CompiledPolicy
{
    private readonly CompiledCondition[] _limits;
    private readonly CompiledCondition[] _rules;
    private readonly string[] _names;
    private readonly ConcurrentBag<Evaluator> _pool = [];

    internal CompiledPolicy(PolicyDocument document, IReadOnlyList<(AuthorityLimit Limit, PolicyCondition Condition)> limits, IReadOnlyList<(RiskRule Rule, PolicyCondition Condition)> rules)
    {
        Document = document;
        _names = [.. limits.SelectMany(l => l.Condition.Names).Concat(rules.SelectMany(r => r.Condition.Names)).Distinct(StringComparer.Ordinal)];
        var index = _names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        _limits = [.. limits.Select(l => new CompiledCondition(l.Limit.Id, l.Limit.Description, l.Condition, [.. l.Condition.Names.Select(n => index[n])], null))];
        _rules = [.. rules.Select(r => new CompiledCondition(r.Rule.Id, r.Rule.Description, r.Condition, [.. r.Condition.Names.Select(n => index[n])], r.Rule))];
    }

    public PolicyDocument Document { get; }

    /// <summary>Routes one proposal. Never throws for a proposal: a condition that cannot be evaluated sends it to review.</summary>
    public PolicyOutcome Evaluate(in PolicySubject subject)
    {
        if (!_pool.TryTake(out var evaluator))
        {
            evaluator = new Evaluator(this);
        }

        try
        {
            return evaluator.Evaluate(subject);
        }
        finally
        {
            _pool.Add(evaluator);
        }
    }

    private sealed record CompiledCondition(string Id, string? Description, PolicyCondition Condition, int[] NameIndexes, RiskRule? Rule)
    {
        public string Label => Description is { Length: > 0 } d ? $"{Id} ({d.TrimEnd('.')})" : Id;
    }

    private enum Result
    {
        False,
        True,
        Unevaluable,
    }

    private sealed class Evaluator
    {
        private readonly CompiledPolicy _policy;
        private readonly Expression[] _limits;
        private readonly Expression[] _rules;
        private readonly object?[] _values;

        public Evaluator(CompiledPolicy policy)
        {
            _policy = policy;
            _limits = [.. policy._limits.Select(c => new Expression(c.Condition.Expression, ExpressionOptions.NoCache))];
            _rules = [.. policy._rules.Select(c => new Expression(c.Condition.Expression, ExpressionOptions.NoCache))];
            _values = new object?[policy._names.Length];
        }

        public PolicyOutcome Evaluate(in PolicySubject subject)
        {
            for (var i = 0; i < _values.Length; i++)
            {
                _values[i] = PolicyFields.Resolve(_policy._names[i], subject);
            }

            var document = _policy.Document;
            List<string>? fired = null;
            List<string>? unevaluable = null;

            // Authority limits first: a breach blocks, whatever else holds.
            List<string>? breaches = null;
            for (var i = 0; i < _limits.Length; i++)
            {
                var limit = _policy._limits[i];
                switch (Run(_limits[i], limit))
                {
                    case Result.True:
                        (fired ??= []).Add("limit:" + limit.Id);
                        (breaches ??= []).Add(limit.Label);
                        break;
                    case Result.Unevaluable:
                        (unevaluable ??= []).Add(limit.Id);
                        break;
                }
            }

            if (breaches is not null)
            {
                return new PolicyOutcome(DecisionRoute.Block, 0, subject.Risk, null, fired!, $"Outside the agent's authority: {string.Join("; ", breaches)}.");
            }

            var risk = subject.Risk;
            var tier = 0;
            List<string>? reviewReasons = null;
            for (var i = 0; i < _rules.Length; i++)
            {
                var rule = _policy._rules[i];
                var result = Run(_rules[i], rule);
                if (result == Result.Unevaluable)
                {
                    (unevaluable ??= []).Add(rule.Id);
                    continue;
                }

                if (result == Result.False)
                {
                    continue;
                }

                (fired ??= []).Add("rule:" + rule.Id);
                if (rule.Rule!.Then == RiskRuleAction.Block)
                {
                    return new PolicyOutcome(DecisionRoute.Block, 0, risk, null, fired, $"Blocked by rule {rule.Label}.");
                }

                if (rule.Rule.RaiseRiskTo is { } raised && raised > risk)
                {
                    risk = raised;
                }

                tier = Math.Max(tier, rule.Rule.Tier ?? 0);
                (reviewReasons ??= []).Add($"rule {rule.Label}");
            }

            var threshold = document.AutoApprove.ThresholdFor(subject.AgentKey);
            var confident = subject.Confidence >= threshold;
            var riskAllowed = risk <= document.AutoApprove.MaxRisk;
            var riskTooHigh = subject.Risk > document.AutoApprove.MaxRisk;
            if (confident && riskAllowed && reviewReasons is null && unevaluable is null)
            {
                return new PolicyOutcome(DecisionRoute.AutoApprove, 0, risk, null, ["auto-approve"],
                    $"Confidence {Format(subject.Confidence)} ≥ {Format(threshold)} at {PolicyFields.RiskName(risk)} risk; no rule requires review.");
            }

            fired ??= [];
            var reasons = new List<string>();
            if (!confident)
            {
                fired.Insert(0, "confidence-below-threshold");
                reasons.Add($"confidence {Format(subject.Confidence)} < {Format(threshold)}");
            }

            if (riskTooHigh)
            {
                fired.Add("risk-above-auto-approval");
                reasons.Add($"{PolicyFields.RiskName(subject.Risk)} risk");
            }

            if (reviewReasons is not null)
            {
                reasons.AddRange(reviewReasons);
            }

            foreach (var id in unevaluable ?? [])
            {
                fired.Add("unevaluable:" + id);
                reasons.Add($"rule {id} could not be evaluated (a value it reads is missing)");
            }

            var requirement = document.ReviewRequirements[risk];
            tier = Math.Max(tier, requirement.Tier);
            var reason = char.ToUpperInvariant(reasons[0][0]) + string.Join("; ", reasons)[1..]
                + $": review at tier {tier} by {requirement.Describe()}.";
            return new PolicyOutcome(DecisionRoute.Review, tier, risk, requirement with { Tier = tier }, fired, reason);
        }

        private Result Run(Expression expression, CompiledCondition condition)
        {
            var parameters = expression.Parameters;
            foreach (var index in condition.NameIndexes)
            {
                var value = _values[index];
                if (value is null)
                {
                    return Result.Unevaluable;
                }

                parameters[_policy._names[index]] = value;
            }

            try
            {
                return PolicyCondition.Holds(expression) ? Result.True : Result.False;
            }
            catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
            {
                // Division by zero, a type mismatch on this proposal's values: review, never auto-approve.
                return Result.Unevaluable;
            }
        }

        private static string Format(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
    }
}
