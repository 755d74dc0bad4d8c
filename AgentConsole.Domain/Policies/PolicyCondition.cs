using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using NCalc;
using NCalc.Exceptions;
using NCalc.Factories;
using NCalc.Visitors;

namespace AgentConsole.Domain.Policies;

/// <summary>
/// A condition of a policy, parsed once per policy version by NCalc (a maintained expression
/// library with no member access, no reflection and no I/O). On top of NCalc's own sandbox it
/// accepts only the names of <see cref="PolicyFields"/>, a short list of pure functions, no
/// <c>like</c> (it builds regular expressions), at most <see cref="MaxLength"/> characters and
/// <see cref="MaxDepth"/> levels of nesting: evaluation time is bounded by the text's length.
/// </summary>
public sealed partial class PolicyCondition
{
    public const int MaxLength = 1000;
    public const int MaxDepth = 24;

    /// <summary>Functions a condition may call; all are pure and finish in constant time.</summary>
    public static readonly FrozenSet<string> AllowedFunctions =
        new[] { "in", "if", "Abs", "Ceiling", "Floor", "Max", "Min", "Round", "Sqrt", "Pow" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private PolicyCondition(string text, LogicalExpression expression, string[] names)
    {
        Text = text;
        Expression = expression;
        Names = names;
    }

    /// <summary>The text as the author wrote it.</summary>
    public string Text { get; }

    /// <summary>The parsed form, shared by every evaluation of this version.</summary>
    public LogicalExpression Expression { get; }

    /// <summary>The names the condition reads, e.g. <c>proposal.discountPercent</c>.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Parses and checks a condition. Problems carry a line and column inside the condition text
    /// (both from 1); the caller adds where the text sits in the document.
    /// </summary>
    public static PolicyCondition? TryCompile(string text, PolicyFields fields, out ConditionProblem? problem)
    {
        problem = CheckShape(text);
        if (problem is not null)
        {
            return null;
        }

        var (bracketed, map) = BracketDottedNames(text);
        LogicalExpression expression;
        try
        {
            expression = LogicalExpressionFactory.Create(bracketed);
        }
        catch (NCalcParserException ex)
        {
            var (line, column) = ParsePosition(ex.Message, text, bracketed, map);
            problem = new ConditionProblem(line, column, $"The condition is not a valid expression near '{Near(text, line, column)}'.");
            return null;
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            problem = new ConditionProblem(1, 1, $"The condition is not a valid expression: {ex.Message}");
            return null;
        }

        var check = new SandboxCheck();
        expression.Accept(check);
        if (check.Depth > MaxDepth * 2)
        {
            problem = new ConditionProblem(1, 1, $"The condition nests more than {MaxDepth * 2} operations deep; split it into several rules.");
            return null;
        }

        if (check.Problem is not null)
        {
            problem = Locate(text, check.ProblemToken, check.Problem);
            return null;
        }

        foreach (var name in check.Names)
        {
            if (!fields.Names.ContainsKey(name))
            {
                problem = Locate(text, name, UnknownName(name, fields));
                return null;
            }
        }

        var condition = new PolicyCondition(text, expression, [.. check.Names]);
        problem = condition.TrySample(fields);
        return problem is null ? condition : null;
    }

    /// <summary>Evaluates with the values already set on <paramref name="evaluation"/>.</summary>
    internal static bool Holds(Expression evaluation) => evaluation.Evaluate() is true;

    private ConditionProblem? TrySample(PolicyFields fields)
    {
        var evaluation = new Expression(Expression, ExpressionOptions.NoCache);
        foreach (var name in Names)
        {
            evaluation.Parameters[name] = fields.Sample[name];
        }

        try
        {
            var result = evaluation.Evaluate();
            return result is bool
                ? null
                : new ConditionProblem(1, 1, $"The condition must be true or false, but gives {(result is null ? "nothing" : $"a {Describe(result)}")}; compare it with something, e.g. '> 15'.");
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            return new ConditionProblem(1, 1, $"The condition cannot be evaluated on a sample case: {ex.Message.TrimEnd('.')}. Check that numbers are compared with numbers and text with text.");
        }
    }

    private static string Describe(object value) => value switch
    {
        string => "text",
        double or decimal or int or long => "number",
        _ => value.GetType().Name.ToLowerInvariant(),
    };

    private static ConditionProblem? CheckShape(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ConditionProblem(1, 1, "The condition is empty.");
        }

        if (text.Length > MaxLength)
        {
            return new ConditionProblem(1, 1, $"The condition is {text.Length} characters long; at most {MaxLength} are allowed.");
        }

        if (RepeatedNot().IsMatch(text))
        {
            return new ConditionProblem(1, 1, "The condition repeats 'not' more than four times in a row.");
        }

        var depth = 0;
        var line = 1;
        var column = 0;
        var unary = 0;
        var escaped = false;
        char? quote = null;
        foreach (var c in text)
        {
            column++;
            if (c == '\n')
            {
                line++;
                column = 0;
            }

            if (quote is not null)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            unary = c is '-' or '!' or '~' ? unary + 1 : char.IsWhiteSpace(c) ? unary : 0;
            if (unary > 4)
            {
                return new ConditionProblem(line, column, "The condition has more than four signs in a row.");
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '(' or '[' or '{':
                    if (++depth > MaxDepth)
                    {
                        return new ConditionProblem(line, column, $"The condition nests more than {MaxDepth} levels deep.");
                    }

                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
            }
        }

        return null;
    }

    /// <summary>
    /// NCalc reads <c>a.b</c> only inside brackets; authors write <c>proposal.discountPercent</c>.
    /// Dotted names outside quotes and brackets are wrapped, and the map takes each
    /// position of the result back to the author's text.
    /// </summary>
    private static (string Text, int[] Map) BracketDottedNames(string text)
    {
        var result = new StringBuilder(text.Length + 16);
        var map = new List<int>(text.Length + 16);
        char? quote = null;
        var inBrackets = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null || inBrackets)
            {
                if (quote is not null && c == quote)
                {
                    quote = null;
                }
                else if (inBrackets && c is ']' or '}')
                {
                    inBrackets = false;
                }

                Append(c, i);
                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c is '[' or '{')
            {
                inBrackets = true;
            }
            else if ((char.IsLetter(c) || c == '_') && (i == 0 || !(char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '_')))
            {
                var end = i;
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '_' or '.'))
                {
                    end++;
                }

                var name = text[i..end];
                if (name.Contains('.', StringComparison.Ordinal) && !name.EndsWith('.'))
                {
                    Append('[', i);
                    for (var j = i; j < end; j++)
                    {
                        Append(text[j], j);
                    }

                    Append(']', end - 1);
                    i = end - 1;
                    continue;
                }
            }

            Append(c, i);
        }

        map.Add(text.Length);
        return (result.ToString(), [.. map]);

        void Append(char c, int source)
        {
            result.Append(c);
            map.Add(source);
        }
    }

    private static (int Line, int Column) ParsePosition(string message, string text, string bracketed, int[] map)
    {
        var match = PositionPattern().Match(message);
        if (!match.Success)
        {
            return (1, 1);
        }

        // NCalc counts lines and columns from 1 in the text it parsed.
        var line = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var column = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        var index = 0;
        for (var l = 1; l < line && index < bracketed.Length; index++)
        {
            if (bracketed[index] == '\n')
            {
                l++;
            }
        }

        index = Math.Clamp(index + column - 1, 0, map.Length - 1);
        return LineAndColumn(text, map[index]);
    }

    private static (int Line, int Column) LineAndColumn(string text, int index)
    {
        index = Math.Clamp(index, 0, text.Length);
        var lineStart = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        return (1 + text.AsSpan(0, index).Count('\n'), index - lineStart + 1);
    }

    private static ConditionProblem Locate(string text, string? token, string message)
    {
        var index = token is null ? -1 : text.IndexOf(token, StringComparison.OrdinalIgnoreCase);
        if (index < 0)
        {
            return new ConditionProblem(1, 1, message);
        }

        var (line, column) = LineAndColumn(text, index);
        return new ConditionProblem(line, column, message);
    }

    private static string Near(string text, int line, int column)
    {
        var lines = text.Split('\n');
        var source = lines[Math.Clamp(line - 1, 0, lines.Length - 1)];
        var start = Math.Clamp(column - 1, 0, source.Length);
        var snippet = source[start..Math.Min(source.Length, start + 20)].Trim();
        return snippet.Length == 0 ? "the end" : snippet;
    }

    private static string UnknownName(string name, PolicyFields fields)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && name[..dot] is "proposal" or "inputs")
        {
            var prefix = name[..(dot + 1)];
            var known = fields.Names.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).Order(StringComparer.Ordinal);
            return $"A {fields.UseCase.ToString()} {name[..dot]} has no field '{name[(dot + 1)..]}'. Its fields: {string.Join(", ", known)}.";
        }

        return $"Unknown name '{name}'. A condition may use proposal.<field>, inputs.<field>, confidence, risk, exposure and agent.";
    }

    [GeneratedRegex(@"\((\d+):(\d+)\)")]
    private static partial Regex PositionPattern();

    [GeneratedRegex(@"(\bnot\b\s*){5,}", RegexOptions.IgnoreCase)]
    private static partial Regex RepeatedNot();

    /// <summary>Walks the parsed condition once: collects names, refuses what the sandbox does not allow.</summary>
    private sealed class SandboxCheck : ILogicalExpressionVisitor<bool>
    {
        private int _depth;

        public SortedSet<string> Names { get; } = new(StringComparer.Ordinal);

        /// <summary>The deepest nesting of operations seen.</summary>
        public int Depth { get; private set; }

        public string? Problem { get; private set; }

        public string? ProblemToken { get; private set; }

        public bool Visit(TernaryExpression expression) =>
            Nested(() => expression.LeftExpression.Accept(this) && expression.MiddleExpression.Accept(this) && expression.RightExpression.Accept(this));

        public bool Visit(BinaryExpression expression)
        {
            if (expression.Type is BinaryExpressionType.Like or BinaryExpressionType.NotLike)
            {
                return Fail("like", "The 'like' operator is not allowed in policy conditions; compare with == or use in(...).");
            }

            return Nested(() => expression.LeftExpression.Accept(this) && expression.RightExpression.Accept(this));
        }

        public bool Visit(UnaryExpression expression) => Nested(() => expression.Expression.Accept(this));

        public bool Visit(ValueExpression expression) => true;

        public bool Visit(Function function)
        {
            if (!AllowedFunctions.Contains(function.Identifier.Name))
            {
                return Fail(function.Identifier.Name + "(",
                    $"The function '{function.Identifier.Name}' is not allowed. Conditions may call: {string.Join(", ", AllowedFunctions.Order(StringComparer.OrdinalIgnoreCase))}.");
            }

            return Nested(() => function.Parameters.All(p => p.Accept(this)));
        }

        public bool Visit(Identifier identifier)
        {
            Names.Add(identifier.Name);
            return true;
        }

        public bool Visit(LogicalExpressionList list) => list.All(e => e.Accept(this));

        private bool Nested(Func<bool> visit)
        {
            _depth++;
            Depth = Math.Max(Depth, _depth);
            try
            {
                return _depth <= MaxDepth * 2 && visit();
            }
            finally
            {
                _depth--;
            }
        }

        private bool Fail(string token, string message)
        {
            Problem ??= message;
            ProblemToken ??= token;
            return false;
        }
    }
}

/// <summary>A problem inside a condition's text, counted from line 1, column 1 of the condition.</summary>
public sealed record ConditionProblem(int Line, int Column, string Message);
