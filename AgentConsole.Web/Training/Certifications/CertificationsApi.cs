using AgentConsole.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentConsole.Web.Training.Certifications;

/// <summary>A request to revoke a certification: why (recorded in the audit trail and shown to whoever checks its code).</summary>
public sealed record RevokeCertificationRequest(string? Reason);

/// <summary>One of the caller's own certifications, with the verification code its certificate prints.</summary>
public sealed record MyCertificationResponse(CertificationView Certification, string Code, string PdfUrl);

/// <summary>
/// Certifications for API clients: who holds which (and what expires in 30 days) for those who may see it, a trainer's
/// revocation, one's own with the certificate as PDF, and the public check of a verification code.
/// </summary>
public static class CertificationsApi
{
    /// <summary>Where people check a code; printed on every certificate.</summary>
    public const string VerifyPagePath = "/certificates/verify";

    public static RouteGroupBuilder MapCertificationsApi(this IEndpointRouteBuilder endpoints)
    {
        var view = endpoints.MapApiGroup("/api/certifications", Permissions.ViewCertifications);
        view.MapGet("/", ListAsync);
        view.MapGet("/expiring", ExpiringAsync);

        var manage = endpoints.MapApiGroup("/api/certifications", Permissions.ManageTraining);
        manage.MapPost("/{certificationId:guid}/revoke", RevokeAsync);

        var mine = endpoints.MapGroup("/api/me/certifications").RequireAuthorization().AddEndpointFilter<DomainProblemFilter>().DisableAntiforgery();
        mine.MapGet("/", MineAsync);
        mine.MapGet("/{certificationId:guid}/pdf", PdfAsync);

        // Anyone may check a code, signed in or not; limited per client address like sign-in.
        var verify = endpoints.MapGroup("/api/certificates").AllowAnonymous().AddEndpointFilter<DomainProblemFilter>().DisableAntiforgery();
        verify.MapGet("/verify", VerifyAsync);
        return view;
    }

    /// <summary>Every certification of the tenant; <c>search</c> matches holder or certification, <c>status</c> is Valid, Expired or Revoked.</summary>
    public static async Task<Ok<IReadOnlyList<CertificationView>>> ListAsync(
        string? search, CertificationStatus? status, HttpContext http, CertificationQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.ListAsync(http.Actor(), search, status, cancellationToken));

    /// <summary>Valid certifications that expire within the next 30 days, soonest first.</summary>
    public static async Task<Ok<IReadOnlyList<CertificationView>>> ExpiringAsync(HttpContext http, CertificationQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.ExpiringAsync(http.Actor(), cancellationToken));

    /// <summary>Revokes a certification at once: 400 without a reason, 404 for one of another tenant, 409 when already revoked.</summary>
    public static async Task<Ok<CertificationView>> RevokeAsync(
        Guid certificationId, RevokeCertificationRequest request, HttpContext http, CertificationRevocation revocation, CancellationToken cancellationToken) =>
        TypedResults.Ok(await revocation.RevokeAsync(certificationId, http.Actor(), request.Reason ?? "", cancellationToken));

    /// <summary>The caller's own certifications with their codes.</summary>
    public static async Task<Ok<IReadOnlyList<MyCertificationResponse>>> MineAsync(HttpContext http, CertificationQueries queries, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok<IReadOnlyList<MyCertificationResponse>>(
            [.. (await queries.MineAsync(http.Actor(), cancellationToken)).Select(m => new MyCertificationResponse(m.Certification, m.Code, PdfPath(m.Certification.Id)))]);
    }

    /// <summary>The certificate of one of the caller's own certifications, as a PDF; another person's is not found.</summary>
    public static async Task<FileContentHttpResult> PdfAsync(Guid certificationId, HttpContext http, CertificationQueries queries, CancellationToken cancellationToken)
    {
        var (certification, code, organisation) = await queries.MineAsync(http.Actor(), certificationId, cancellationToken);
        var verifyUrl = $"{http.Request.Scheme}://{http.Request.Host}{VerifyPagePath}";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(CertificatePdf.Render(certification, code, organisation, verifyUrl), "application/pdf",
            $"certificate-{certification.Key}-{certification.GrantedAt:yyyy-MM-dd}.pdf");
    }

    /// <summary>Checks a code: what the certificate prints and whether it is valid, expired or revoked now; 400 for a malformed code, 404 for an unknown one.</summary>
    public static async Task<Ok<CertificateCheck>> VerifyAsync(string? code, CertificateVerification verification, CancellationToken cancellationToken) =>
        TypedResults.Ok(await verification.VerifyAsync(code, cancellationToken));

    public static string PdfPath(Guid certificationId) => $"/api/me/certifications/{certificationId}/pdf";
}
