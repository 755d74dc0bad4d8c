using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentConsole.Domain.Agents;
using AgentConsole.Domain.Agents.BuiltIn;
using AgentConsole.Domain.Decisions;
using AgentConsole.Domain.Persistence;
using AgentConsole.Domain.Pipelines;
using AgentConsole.Domain.Policies;
using AgentConsole.Domain.Tenancy;
using AgentConsole.Tests.Infrastructure;
using AgentConsole.Web.Decisions.Pages;
using AgentConsole.Web.Queues;
using AgentConsole.Web.Tenancy;
using AngleSharp.Html.Parser;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Xunit.Abstractions;

namespace AgentConsole.Tests.Integration.Web;

/// <summary>
/// For every built-in agent and every case field, a policy version that hides that field from operators routes many
/// generated cases; the field's value — raw, with thousands separators, with units, as a percentage, in words — and
/// every evidence line that states it appear nowhere in what an operator receives: the decision page, the API's JSON
/// (the decision and the queue list) and the hub's messages. A form is looked for only where it cannot be there by
/// coincidence: where it also stands in what the operator may see anyway (another field, the proposal, dates, ids,
/// the page's own words), it proves nothing and is passed over; each field must be checked in some cases all the same.
/// </summary>
public sealed class MaskingLeakTests(MaskingWebFixture fixture, ITestOutputHelper output) : IClassFixture<MaskingWebFixture>
{
    private const int CasesPerField = 12;
    private static readonly string[] CaseRegions =
        ["[data-testid=decision-subject]", "[data-testid=inputs]", "[data-testid=rationale]", "[data-testid=rationale-note]", "[data-testid=evidence]",
         "[data-testid=history]", "[data-testid^=proposal-]", "[data-testid^=final-]", ".mud-breadcrumbs"];

    private static readonly string[] NumberFormats = ["G", "0.#", "0.##", "0.###", "0.0", "0.00", "#,0", "#,0.#", "#,0.##", "#,0.00", "N0", "N2"];

    private static readonly string[] MessageMetadata = ["decisionId", "queueId", "previousQueueId", "kind", "status", "version", "actor", "at"];

    /// <summary>JSON as text people read: "×" and "•" as themselves, not escaped, so a line of evidence is found as written.</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private ConsoleFactory Factory => fixture.Factory;

    [Theory]
    [MemberData(nameof(BuiltInAgents.UseCases), MemberType = typeof(BuiltInAgents))]
    public async Task AHiddenFieldsValue_AppearsNowhereAnOperatorLooks_OnThePage_InTheApi_OrInHubMessages(UseCase useCase)
    {
        var client = await Factory.SignInAsync("operator");
        var messages = new ConcurrentDictionary<Guid, List<string>>();
        await using var hub = await ConnectAsync(messages);
        await using var page = await PageContextAsync();
        var generator = new SyntheticCaseGenerator(new Random(1000 + (int)useCase));
        var agent = BuiltInAgents.For(useCase);
        var checks = new List<string>();

        foreach (var field in CaseSchema.For(useCase).Fields)
        {
            var version = await PolicyVersions.ActivateAsync(Factory.Services, useCase,
                d => PolicyVersions.WithMasking(d, PolicyVersions.Masking(field.Name, "Operator")));
            var decisions = await SeedAsync(useCase, version, Enumerable.Range(0, CasesPerField).Select(_ => generator.Next(useCase)).ToList());
            var lists = await QueueListsAsync(client, useCase);
            var formsChecked = 0;
            var linesChecked = 0;
            foreach (var decision in decisions)
            {
                var api = await client.GetFromJsonAsync<JsonObject>($"/api/decisions/{decision.Id}");
                Assert.Equal(PolicyMasking.Hidden, api!["inputs"]![field.Name]!.GetValue<string>());
                var listed = lists.Where(i => i["id"]!.GetValue<Guid>() == decision.Id).ToList();
                var rendered = page.Render<DecisionPage>(p => p.Add(c => c.DecisionId, decision.Id));
                rendered.WaitForAssertion(() => Assert.NotEmpty(rendered.FindAll("[data-testid=inputs]")), TimeSpan.FromSeconds(10));
                var (caseText, chrome) = Split(rendered.Markup);
                var hubText = await HubTextAsync(messages, decision.Id);

                var received = string.Join("\n", [api.ToJsonString(Readable), .. listed.Select(i => i.ToJsonString(Readable)), caseText, hubText]);
                var explained = string.Join("\n", [Metadata(api), .. listed.Select(Metadata), chrome, .. ValuesTheOperatorSees(decision, field.Name),
                    .. CaseSchema.For(useCase).Fields.Select(f => CaseSchema.Label(f.Name)), await WordingAsync(agent, decision.Inputs, field, generator)]);
                foreach (var form in Forms(decision.Inputs[field.Name]).Where(f => !Occurs(explained, f)))
                {
                    Assert.False(Occurs(received, form), $"{useCase}: {field.Name} = {decision.Inputs[field.Name]} appears as '{form}' in what an operator receives:\n{received}");
                    formsChecked++;
                }

                foreach (var line in decision.Explanation.Evidence.Where(e => e.Fields!.Contains(field.Name)))
                {
                    Assert.DoesNotContain(line.Text, received, StringComparison.Ordinal);
                    linesChecked++;
                }

                if (decision.Explanation.Rationale.Fields!.Contains(field.Name))
                {
                    Assert.DoesNotContain(decision.Explanation.Rationale.Text, received, StringComparison.Ordinal);
                    linesChecked++;
                }

                rendered.Dispose();
            }

            checks.Add($"{field.Name}: {formsChecked} forms, {linesChecked} lines");
            output.WriteLine($"{useCase} {checks[^1]}");
            Assert.True(linesChecked > 0 || field.Name is "clauseText" or "counterparty" or "customer" or "product" or "partnerName",
                $"{useCase}: no evidence line states {field.Name}");
            Assert.True(formsChecked > 0 || field.Kind == CaseFieldKind.Boolean, $"{useCase}: {field.Name} was never checked ({string.Join("; ", checks)}).");
        }
    }

    // ---- What the operator receives -------------------------------------------------------------------------------

    /// <summary>The case's regions of the page (where its content is shown), and the rest of the page (its own words, times, names).</summary>
    private static (string CaseText, string Chrome) Split(string markup)
    {
        var document = new HtmlParser().ParseDocument(markup);
        var regions = CaseRegions.SelectMany(document.QuerySelectorAll).Distinct().ToList();
        var caseText = string.Join("\n", regions.Select(r => r.TextContent + " " + string.Join(" ", r.QuerySelectorAll("[title]").Select(e => e.GetAttribute("title")))));
        foreach (var region in regions)
        {
            region.Remove();
        }

        return (caseText, document.Body?.TextContent ?? "");
    }

    /// <summary>An API answer (a decision, a list row) without the case: ids, times, states, routing — there whatever the case says.</summary>
    private static string Metadata(JsonObject api)
    {
        var copy = api.DeepClone().AsObject();
        foreach (var content in new[] { "subject", "rationale", "rationaleNote", "evidence", "inputs", "proposal", "final", "masked" })
        {
            copy.Remove(content);
        }

        return copy.ToJsonString(Readable);
    }

    /// <summary>
    /// The agent's own wording: what it writes about the same case with another value in the hidden field. A form that
    /// stands there too ("Payment terms 120 days" when the hidden clause type is PaymentTerms) is not the value speaking.
    /// </summary>
    private static async Task<string> WordingAsync(IDecisionAgent agent, JsonObject inputs, CaseField field, SyntheticCaseGenerator generator)
    {
        var twin = inputs.DeepClone().AsObject();
        for (var attempt = 0; attempt < 20 && JsonNode.DeepEquals(twin[field.Name], inputs[field.Name]); attempt++)
        {
            twin[field.Name] = generator.Next(agent.UseCase).Inputs[field.Name]?.DeepClone();
        }

        var proposal = await agent.ProposeAsync(twin, CancellationToken.None);
        return string.Join("\n", [proposal.Rationale.Text, proposal.Rationale.WithoutFields ?? "", .. proposal.Evidence.Select(e => e.Text)]);
    }

    /// <summary>What the operator may see anyway: every other field of the case and the proposal, in all their forms.</summary>
    private static IEnumerable<string> ValuesTheOperatorSees(Decision decision, string hidden) =>
        decision.Inputs.Where(p => p.Key != hidden).Select(p => p.Value)
            .Concat(decision.Proposal.Select(p => p.Value))
            .Concat(decision.Final?.Select(p => p.Value) ?? [])
            .SelectMany(Forms);

    private static async Task<string> HubTextAsync(ConcurrentDictionary<Guid, List<string>> messages, Guid decisionId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!messages.ContainsKey(decisionId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(messages.TryGetValue(decisionId, out var received), "The hub never told the operator about the decision.");
        Assert.DoesNotContain(received!, m => m.StartsWith("unexpected message", StringComparison.Ordinal));
        return string.Join("\n", received!);
    }

    private static async Task<List<JsonObject>> QueueListsAsync(HttpClient client, UseCase useCase)
    {
        var queues = await client.GetFromJsonAsync<JsonArray>("/api/queues");
        var items = new List<JsonObject>();
        foreach (var queue in queues!.Where(q => q!["useCase"]?.GetValue<string>() == useCase.ToString()))
        {
            var list = await client.GetFromJsonAsync<JsonArray>($"/api/queues/{queue!["id"]}/decisions");
            items.AddRange(list!.Select(i => i!.AsObject()));
        }

        return items;
    }

    // ---- The forms of a value, and where one stands ----------------------------------------------------------------

    /// <summary>
    /// Every way the value reads in text, exactly: raw, invariant, with thousands separators and fixed decimals, with
    /// the units agents write (EUR, %, ×, days, years, months), a fraction as a percentage, a text and its words.
    /// </summary>
    private static IEnumerable<string> Forms(JsonNode? value)
    {
        if (value is not JsonValue json)
        {
            return [];
        }

        var forms = new HashSet<string>(StringComparer.Ordinal);
        switch (json.GetValueKind())
        {
            case JsonValueKind.Number:
                var number = decimal.Parse(json.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                var numbers = Renderings(number).ToList();
                if (number != 0 && Math.Abs(number) <= 1)
                {
                    numbers.AddRange(Renderings(number * 100));
                }

                forms.Add(json.ToJsonString());
                foreach (var n in numbers)
                {
                    forms.UnionWith([n, n + " EUR", n + " %", n + "%", n + "×", n + " days", n + " day", n + " years", n + " year", n + " months"]);
                }

                break;
            case JsonValueKind.String:
                var text = json.GetValue<string>();
                forms.Add(text);
                var words = Regex.Replace(text, "(?<=[a-z])(?=[A-Z])", " ");
                forms.UnionWith([words, words.ToLowerInvariant(), char.ToUpperInvariant(words[0]) + words[1..].ToLowerInvariant()]);
                break;
        }

        return forms.Where(f => f.Length > 0);
    }

    private static IEnumerable<string> Renderings(decimal number) =>
        NumberFormats.Select(format => number.ToString(format, CultureInfo.InvariantCulture))
            .Where(text => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture) == number);

    /// <summary>Whether the form stands in the text as a whole token: not inside a word or a longer number.</summary>
    private static bool Occurs(string text, string form) =>
        Regex.IsMatch(text, $@"(?<![\p{{L}}\p{{N}}])(?<!\p{{N}}[.,]){Regex.Escape(form)}(?![\p{{L}}\p{{N}}])(?![.,]\p{{N}})");

    // ---- Cases, routed by the version that masks -------------------------------------------------------------------

    /// <summary>Records each case's run and decision, routed by <paramref name="versionId"/> as the pipeline would, and tells the hub.</summary>
    private async Task<List<Decision>> SeedAsync(UseCase useCase, Guid versionId, List<SyntheticCase> cases)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(DemoData.ContosoId);
        await using var db = scope.ServiceProvider.GetRequiredService<IAgentConsoleDbFactory>().Create();
        var agent = await db.Agents.Include(a => a.Versions).FirstAsync(a => a.UseCase == useCase);
        var version = agent.Versions.Single(v => v.Version == agent.CurrentVersion);
        var queues = await db.Queues.Where(q => q.UseCase == useCase).OrderBy(q => q.Tier).ToListAsync();
        var policy = (await Factory.Services.GetRequiredService<PolicyCache>().GetAsync(db, versionId, CancellationToken.None))!;
        var implementation = Factory.Services.GetRequiredService<AgentRegistry>().Resolve(version.Implementation);
        var now = DateTimeOffset.UtcNow;
        var decisions = new List<Decision>();
        foreach (var c in cases)
        {
            var proposal = await implementation.ProposeAsync(c.Inputs, CancellationToken.None);
            var run = new PipelineRun(Guid.NewGuid(), DemoData.ContosoId, agent.Id, useCase, c.Subject, c.Inputs.ToJsonString(), c.Truth.ToJsonString(), null, now);
            run.StartAttempt(now);
            var decision = Decision.Propose(Guid.NewGuid(), run.Id, agent, version, c.Subject, c.Inputs, proposal, policy.Route(agent.Key, proposal, c.Inputs, queues), now);
            run.Proposed(decision.Id, decision.Status.IsOpen(), decision.Status.IsExecutable(), now);
            db.Runs.Add(run);
            db.Decisions.Add(decision);
            decisions.Add(decision);
        }

        await db.SaveChangesAsync();
        var events = Factory.Services.GetRequiredService<DecisionEventBus>();
        foreach (var d in decisions)
        {
            await events.PublishAsync(new DecisionEvent(d.TenantId, d.Id, d.QueueId, null, DecisionEventKind.Queued, d.Status, d.Version, "test feed", now));
        }

        return decisions;
    }

    private async Task<HubConnection> ConnectAsync(ConcurrentDictionary<Guid, List<string>> messages)
    {
        var connection = await Factory.ConnectToQueueHubAsync("operator");
        connection.On<JsonElement>(QueueHub.DecisionChanged, m =>
        {
            // Ids and the time are what every message carries; the rest is what could ever carry a case value. A
            // message with any other property is kept whole, so that the check below sees it.
            var names = m.EnumerateObject().Select(p => p.Name).ToList();
            var content = names.SequenceEqual(MessageMetadata)
                ? string.Join(" ", m.EnumerateObject().Where(p => p.Name is not ("decisionId" or "queueId" or "previousQueueId" or "at")).Select(p => p.Value.ToString()))
                : "unexpected message: " + m.GetRawText();
            messages.AddOrUpdate(m.GetProperty("decisionId").GetGuid(), _ => [content], (_, list) => [.. list, content]);
        });
        await connection.InvokeAsync("SubscribeTenant");
        return connection;
    }

    /// <summary>bUnit over the host's own services, signed in as Olivia Operator, to render the decision page.</summary>
    private async Task<BunitContext> PageContextAsync()
    {
        var (user, tenant) = (await Factory.Services.GetRequiredService<UserDirectory>().FindAsync("operator"))!.Value;
        var scope = Factory.Services.CreateAsyncScope();
        var tenantContext = scope.ServiceProvider.GetRequiredService<TenantContext>();
        tenantContext.Use(tenant.Id);
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        var authorization = context.AddAuthorization();
        authorization.SetAuthorized(user.DisplayName);
        authorization.SetRoles([.. user.Roles]);
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()), new Claim(ConsoleClaims.TenantId, tenant.Id.ToString()));
        context.Services.AddScoped(sp => new ConsoleUser(sp.GetRequiredService<AuthenticationStateProvider>(), tenantContext));
        context.Services.AddFallbackServiceProvider(scope.ServiceProvider);
        context.Render<MudPopoverProvider>();
        return context;
    }
}
