using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace AgentConsole.Web.Training.Certifications;

/// <summary>
/// A certificate as a one-page PDF (PDFsharp, MIT): the person, the certification and track, the score, the dates,
/// the organisation and the verification code with where to check it.
/// </summary>
public static class CertificatePdf
{
    private const string Family = "Certificate Sans";

    private static readonly Lock Setup = new();

    /// <param name="verifyUrl">Where the code can be checked, printed under it.</param>
    public static byte[] Render(CertificationView c, string code, string organisation, string verifyUrl)
    {
        UseSystemFonts();
        using var document = new PdfDocument();
        document.Info.Title = $"{c.DisplayName} certificate — {c.HolderName}";
        document.Info.Author = organisation;
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        page.Orientation = PdfSharp.PageOrientation.Landscape;
        using (var g = XGraphics.FromPdfPage(page))
        {
            var width = page.Width.Point;
            var height = page.Height.Point;
            var ink = new XSolidBrush(XColor.FromArgb(33, 37, 41));
            var muted = new XSolidBrush(XColor.FromArgb(108, 117, 125));
            g.DrawRectangle(new XPen(XColor.FromArgb(25, 118, 210), 3), 24, 24, width - 48, height - 48);
            void Line(string text, double size, double y, XBrush brush, bool bold = false) =>
                g.DrawString(text, new XFont(Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular), brush, new XRect(40, y, width - 80, size * 1.4), XStringFormats.TopCenter);

            Line(organisation, 16, 60, muted);
            Line("Certificate", 34, 100, ink, bold: true);
            Line("This certifies that", 14, 165, muted);
            Line(c.HolderName, 28, 190, ink, bold: true);
            Line($"holds the {c.DisplayName} certification ({c.Key})", 16, 240, ink);
            var earned = (c.TrackName is null ? "" : $"earned on the track {c.TrackName}")
                + (c.Score is { } s ? $"{(c.TrackName is null ? "earned" : "")} with a score of {s.ToString("0.#", CultureInfo.InvariantCulture)} %" : "");
            if (earned.Length > 0)
            {
                Line(earned, 14, 268, muted);
            }

            Line($"Granted {c.GrantedAt:d MMMM yyyy} · valid until {c.ExpiresAt:d MMMM yyyy}", 14, 310, ink);
            Line("Verification code", 12, 370, muted);
            Line(code, 20, 388, ink, bold: true);
            Line($"Check it at {verifyUrl}", 11, 425, muted);
        }

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static void UseSystemFonts()
    {
        lock (Setup)
        {
            GlobalFontSettings.FontResolver ??= new SystemFontResolver();
        }
    }

    /// <summary>DejaVu Sans, else Liberation Sans, from the system's fonts (Debian: fonts-dejavu-core).</summary>
    private sealed class SystemFontResolver : IFontResolver
    {
        private static readonly string[][] Candidates =
        [
            ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
            ["/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"],
        ];

        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? "bold" : "regular");

        public byte[]? GetFont(string faceName)
        {
            var index = faceName == "bold" ? 1 : 0;
            var path = Candidates.Select(c => c[index]).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("Certificates need a sans-serif font: install fonts-dejavu-core (or fonts-liberation).");
            return File.ReadAllBytes(path);
        }
    }
}
