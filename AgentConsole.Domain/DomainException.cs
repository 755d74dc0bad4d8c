namespace AgentConsole.Domain;

/// <summary>What kind of rule a refused operation broke; entry points map it to a status code.</summary>
public enum DomainErrorKind
{
    /// <summary>The input is malformed or breaks a business rule.</summary>
    Invalid,
    /// <summary>The thing does not exist for the caller's tenant.</summary>
    NotFound,
    /// <summary>The caller may not do this.</summary>
    Forbidden,
    /// <summary>The thing is not in a state that allows this, or someone else changed it first.</summary>
    Conflict,
}

/// <summary>
/// A refused operation. The message is written for the person who tried it; nothing was changed.
/// </summary>
#pragma warning disable CA1032 // A domain error always carries a kind and a code; the parameterless constructors would lose them.
public sealed class DomainException : Exception
#pragma warning restore CA1032
{
    public DomainException(DomainErrorKind kind, string code, string message, IReadOnlyDictionary<string, string[]>? fieldErrors = null)
        : base(message)
    {
        Kind = kind;
        Code = code;
        FieldErrors = fieldErrors ?? new Dictionary<string, string[]>();
    }

    /// <summary>The broken rule.</summary>
    public DomainErrorKind Kind { get; }

    /// <summary>A stable machine-readable code, e.g. <c>decision.already-resolved</c>.</summary>
    public string Code { get; }

    /// <summary>Per-field messages for validation errors (field name → messages).</summary>
    public IReadOnlyDictionary<string, string[]> FieldErrors { get; }

    public static DomainException Invalid(string code, string message, IReadOnlyDictionary<string, string[]>? fields = null) =>
        new(DomainErrorKind.Invalid, code, message, fields);

    public static DomainException NotFound(string code, string message) => new(DomainErrorKind.NotFound, code, message);

    public static DomainException Forbidden(string code, string message) => new(DomainErrorKind.Forbidden, code, message);

    public static DomainException Conflict(string code, string message) => new(DomainErrorKind.Conflict, code, message);
}
