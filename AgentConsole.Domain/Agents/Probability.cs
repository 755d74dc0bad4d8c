namespace AgentConsole.Domain.Agents;

/// <summary>The normal distribution, for sampling hidden noise and for calibrated confidences.</summary>
internal static class Probability
{
    /// <summary>Standard normal cumulative distribution (Abramowitz–Stegun 7.1.26, error below 1.5e-7).</summary>
    public static double Phi(double x)
    {
        var t = 1 / (1 + (0.3275911 * Math.Abs(x) / Math.Sqrt(2)));
        var y = 1 - ((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x / 2);
        return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
    }

    /// <summary>Probability that <c>score + N(0, sigma)</c> falls in [lower, upper).</summary>
    public static double InBand(double score, double sigma, double lower, double upper) =>
        Phi((upper - score) / sigma) - Phi((lower - score) / sigma);

    public static double Normal(Random random, double sigma)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static double Clamp01(double p) => Math.Round(Math.Clamp(p, 0.01, 0.995), 3);
}

/// <summary>
/// Three outcome bands over a score: below <see cref="Lower"/>, between, and from <see cref="Upper"/> up.
/// The confidence of a band is the chance that the true score (the seen score plus hidden noise) lies in it.
/// </summary>
internal sealed record ScoreBands(double Lower, double Upper, string Below, string Between, string Above)
{
    public string Label(double score) => score < Lower ? Below : score >= Upper ? Above : Between;

    public double Confidence(double score, double sigma) => Label(score) switch
    {
        var l when l == Below => Probability.InBand(score, sigma, double.NegativeInfinity, Lower),
        var l when l == Above => Probability.InBand(score, sigma, Upper, double.PositiveInfinity),
        _ => Probability.InBand(score, sigma, Lower, Upper),
    };
}
