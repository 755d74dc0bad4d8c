using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace AgentConsole.Web.Audit;

/// <summary>
/// Writes a search's audit entries to a response while they are read from the database: a chunk of rows at a time
/// is formatted in memory and sent (flushed) at once, so memory holds one chunk whatever the export's size.
/// Every export has the same columns in the same order (<see cref="Columns"/>); times are UTC (ISO 8601).
/// </summary>
public sealed class AuditExport
{
    /// <summary>The rows formatted before they are sent.</summary>
    public const int ChunkRows = 256;

    private readonly Func<AuditFormatter> _formatter;

    private AuditExport(string contentType, string extension, Func<AuditFormatter> formatter)
    {
        ContentType = contentType;
        Extension = extension;
        _formatter = formatter;
    }

    /// <summary>The fields of every entry, in order: the CSV header and the JSON Lines property names.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["sequence", "id", "at", "actorKind", "actorId", "actorName", "action", "entityType", "entityId", "reason", "traceId", "before", "after", "hash"];

    public string ContentType { get; }

    /// <summary>The file extension, which is also the format's name in <c>?format=</c>.</summary>
    public string Extension { get; }

    /// <summary>An export in a format (<c>csv</c>, the default, or <c>jsonl</c>); another name is refused naming the field.</summary>
    public static AuditExport For(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "csv" => new AuditExport("text/csv; charset=utf-8", "csv", () => new CsvAuditFormatter()),
        "jsonl" => new AuditExport("application/jsonl; charset=utf-8", "jsonl", () => new JsonLinesAuditFormatter()),
        _ => throw DomainException.Invalid("audit.export-format", $"'{format}' is not an export format: use csv or jsonl.",
            new Dictionary<string, string[]> { ["format"] = ["Use csv or jsonl."] }),
    };

    /// <summary>The file name a browser saves the export under, e.g. <c>audit-20261130-141500.csv</c>.</summary>
    public string FileName(DateTimeOffset now) => $"audit-{now.UtcDateTime:yyyyMMdd-HHmmss}.{Extension}";

    /// <summary>Writes the entries as they come; stops quietly when the caller goes away.</summary>
    public async Task WriteAsync(Stream body, IAsyncEnumerable<AuditRecord> entries, CancellationToken cancellationToken)
    {
        using var formatter = _formatter();
        try
        {
            formatter.WriteHeader();
            await SendAsync(formatter, body, cancellationToken);
            var rows = 0;
            await foreach (var entry in entries.WithCancellation(cancellationToken))
            {
                formatter.WriteEntry(entry);
                if (++rows % ChunkRows == 0)
                {
                    await SendAsync(formatter, body, cancellationToken);
                }
            }

            await SendAsync(formatter, body, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The download was cancelled: the enumerator closed the database reader; nothing else to do.
        }
    }

    private static async Task SendAsync(AuditFormatter formatter, Stream body, CancellationToken cancellationToken)
    {
        var bytes = formatter.Formatted();
        if (bytes.Length > 0)
        {
            await body.WriteAsync(bytes, cancellationToken);
            await body.FlushAsync(cancellationToken);
        }

        formatter.Clear();
    }
}

/// <summary>Formats entries into memory, a chunk at a time.</summary>
internal abstract class AuditFormatter : IDisposable
{
    public abstract void WriteHeader();

    public abstract void WriteEntry(AuditRecord entry);

    /// <summary>The bytes formatted since the last <see cref="Clear"/>.</summary>
    public abstract ReadOnlyMemory<byte> Formatted();

    public abstract void Clear();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);

    protected static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// RFC 4180 CSV, UTF-8 without a byte-order mark, CRLF line ends, a header row; a field holding a comma, a quote or a
/// line break is quoted with its quotes doubled. Before and after are the JSON snapshots as text. Values are written
/// as recorded (a reason that begins with <c>=</c> stays so): import the file rather than open it by double-click.
/// </summary>
internal sealed class CsvAuditFormatter : AuditFormatter
{
    private readonly MemoryStream _chunk = new();
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;

    public CsvAuditFormatter()
    {
        _text = new StreamWriter(_chunk, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024, leaveOpen: true);
        _csv = new CsvWriter(_text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" });
    }

    public override void WriteHeader()
    {
        foreach (var column in AuditExport.Columns)
        {
            _csv.WriteField(column);
        }

        _csv.NextRecord();
    }

    public override void WriteEntry(AuditRecord entry)
    {
        _csv.WriteField(entry.Sequence.ToString(CultureInfo.InvariantCulture));
        _csv.WriteField(entry.Id.ToString(CultureInfo.InvariantCulture));
        _csv.WriteField(Time(entry.At));
        _csv.WriteField(entry.ActorKind.ToString());
        _csv.WriteField(entry.ActorId);
        _csv.WriteField(entry.ActorName);
        _csv.WriteField(entry.Action);
        _csv.WriteField(entry.EntityType);
        _csv.WriteField(entry.EntityId);
        _csv.WriteField(entry.Reason ?? "");
        _csv.WriteField(entry.TraceId ?? "");
        _csv.WriteField(entry.BeforeJson ?? "");
        _csv.WriteField(entry.AfterJson ?? "");
        _csv.WriteField(entry.Hash);
        _csv.NextRecord();
    }

    public override ReadOnlyMemory<byte> Formatted()
    {
        // Into memory only: the caller writes the response asynchronously.
        _csv.Flush();
        _text.Flush();
        return _chunk.GetBuffer().AsMemory(0, (int)_chunk.Length);
    }

    public override void Clear() => _chunk.SetLength(0);

    protected override void Dispose(bool disposing)
    {
        _csv.Dispose();
        _text.Dispose();
        _chunk.Dispose();
    }
}

/// <summary>
/// JSON Lines: one JSON object per entry and line (<c>\n</c>), UTF-8, the properties of <see cref="AuditExport.Columns"/>;
/// <c>before</c> and <c>after</c> are the snapshots as JSON (null when none), not strings. Letters outside ASCII are written as they are.
/// </summary>
internal sealed class JsonLinesAuditFormatter : AuditFormatter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _json;

    public JsonLinesAuditFormatter() => _json = new Utf8JsonWriter(_buffer, Options);

    public override void WriteHeader()
    {
    }

    public override void WriteEntry(AuditRecord entry)
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber("sequence", entry.Sequence);
        _json.WriteNumber("id", entry.Id);
        _json.WriteString("at", Time(entry.At));
        _json.WriteString("actorKind", entry.ActorKind.ToString());
        _json.WriteString("actorId", entry.ActorId);
        _json.WriteString("actorName", entry.ActorName);
        _json.WriteString("action", entry.Action);
        _json.WriteString("entityType", entry.EntityType);
        _json.WriteString("entityId", entry.EntityId);
        _json.WriteString("reason", entry.Reason);
        _json.WriteString("traceId", entry.TraceId);
        Snapshot("before", entry.BeforeJson);
        Snapshot("after", entry.AfterJson);
        _json.WriteString("hash", entry.Hash);
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
    }

    public override ReadOnlyMemory<byte> Formatted() => _buffer.WrittenMemory;

    public override void Clear() => _buffer.ResetWrittenCount();

    protected override void Dispose(bool disposing) => _json.Dispose();

    private void Snapshot(string name, string? json)
    {
        _json.WritePropertyName(name);
        if (json is null)
        {
            _json.WriteNullValue();
        }
        else
        {
            _json.WriteRawValue(json);
        }
    }
}
