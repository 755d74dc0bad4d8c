using System.Text.Json.Nodes;
using AgentConsole.Domain.Policies;

namespace AgentConsole.Tests.Unit.Policies;

/// <summary>The defence in depth behind masking: masked values written in free text are found as whole tokens and blanked.</summary>
public sealed class MaskedTextTests
{
    private static string Redact(string text, JsonNode? masked, params JsonNode?[] explained) =>
        new MaskedText([masked], explained).Redact(text);

    [Theory]
    [InlineData("Margin floor allows at most 31 % discount.", "Margin floor allows at most ••• % discount.")]
    [InlineData("Floor 31% (was 31.0).", "Floor •••% (was •••).")]
    [InlineData("Quote of 31,000 EUR in 2031, 0.31 or 131 or 31.5", "Quote of 31,000 EUR in 2031, 0.31 or 131 or 31.5")]
    public void AWholeNumber_IsFoundWhereverItStandsAlone_AndNowhereInsideAnother(string text, string expected)
    {
        Assert.Equal(expected, Redact(text, 31));
    }

    [Theory]
    [InlineData(2450000, "Annual revenue 2,450,000 EUR.", "Annual revenue ••• EUR.")]
    [InlineData(2450000, "Raw 2450000 in a sentence.", "Raw ••• in a sentence.")]
    [InlineData(12345.5, "Amount 12,345.50 EUR.", "Amount ••• EUR.")]
    [InlineData(0.82, "Similarity to earlier invoices: 82 %.", "Similarity to earlier invoices: ••• %.")]
    [InlineData(1.5, "Liability cap 1.5× annual fees.", "Liability cap •••× annual fees.")]
    [InlineData(-1, "Changed -1 days ago.", "Changed ••• days ago.")]
    public void ANumber_IsFoundInTheFormsAgentsPrintIt(double value, string text, string expected)
    {
        Assert.Equal(expected, Redact(text, JsonValue.Create((decimal)value)));
    }

    [Fact]
    public void ARoundedForm_IsFoundOnlyWhenItStaysCloseToTheValue()
    {
        Assert.Equal("Gap ••• %.", Redact("Gap 12.3 %.", 12.34));
        Assert.Equal("Gap 12 %.", Redact("Gap 12 %.", 12.34));
        Assert.Equal("Nothing 0 or 1 here.", Redact("Nothing 0 or 1 here.", 0.3));
    }

    [Fact]
    public void AText_IsFound_AndAnIdentifierInItsWordsToo()
    {
        Assert.Equal("Discount for ••• — 20,000 EUR spare parts", Redact("Discount for Altura Foods S.A. — 20,000 EUR spare parts", "Altura Foods S.A."));
        Assert.Equal("••• clause — Bluepeak; the ••• clause", Redact("Limitation of liability clause — Bluepeak; the limitation of liability clause", "LimitationOfLiability"));
        Assert.Equal("Country DEN is not •••", Redact("Country DEN is not DE", "DE"));
    }

    [Fact]
    public void TrueFalseAndNull_HaveNoForms_WhatStatesThemIsHiddenByDeclaration()
    {
        Assert.Empty(MaskedText.Forms(true));
        Assert.Empty(MaskedText.Forms(null));
        Assert.Equal("true and false", Redact("true and false", true));
    }

    [Fact]
    public void AValueTheTextMayState_IsLeftAlone_SoACoincidenceIsNotBlanked()
    {
        Assert.Equal("2 comparable won deals.", Redact("2 comparable won deals.", 2, 2));
        Assert.Equal("••• comparable won deals.", Redact("2 comparable won deals.", 2, 3));
    }
}
