using System;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NhiGuard.Detection;

namespace NhiGuard.Analyzers.Secrets;

/// <summary>Which hard-coded values are worth a finding: not placeholders, not obvious test doubles.</summary>
internal static class SecretValues
{
    // Passwords that are really used as defaults; the detection core calls them placeholders, but a
    // value that reaches an authentication sink is a credential however weak.
    private static readonly Regex WeakDefault = new(
        @"^(?:change[-_ ]?me|changeit|pass(?:word|w0rd)?1?|p@ssw0rd|admin|secret|letmein|123456(?:78)?|qwerty|root|guest)$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase,
        TimeSpan.FromSeconds(1));

    // A word of the value that says it is not real: "fake-client-secret-for-tests".
    private static readonly Regex TestDoubleWord = new(
        @"(?:^|[^a-z])(?:fake|dummy|mock|stub|tests?|testing)(?:$|[^a-z])",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase,
        TimeSpan.FromSeconds(1));

    private static readonly string[] TestDoublePrefixes = { "Fake", "Dummy", "Mock", "Stub", "Test" };
    private static readonly string[] TestTypeSuffixes = { "Test", "Tests", "Fixture", "Fake", "Stub", "Mock" };

    /// <summary>Whether a value written in the code (its text, when it is a string) is a credential worth reporting.</summary>
    public static bool IsReportable(HardCodedValue value)
    {
        if (value.Text is not { } text)
        {
            return true;
        }

        if (text.Trim().Length == 0)
        {
            return false;
        }

        if (WeakDefault.IsMatch(text.Trim()))
        {
            return true;
        }

        return !Placeholders.IsPlaceholder(text) && !TestDoubleWord.IsMatch(text);
    }

    /// <summary>
    /// Whether <paramref name="node"/> sits in a test double: a type named Fake*, Dummy*, Mock*,
    /// Stub*, Test* or *Tests (or *Test, *Fixture), or a member or local named Fake*, Dummy*, Mock*,
    /// Stub* or Test*.
    /// </summary>
    public static bool IsInTestDouble(SyntaxNode node)
    {
        foreach (SyntaxNode ancestor in node.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case BaseTypeDeclarationSyntax type when HasPrefix(type.Identifier.ValueText) || HasSuffix(type.Identifier.ValueText):
                case MethodDeclarationSyntax method when HasPrefix(method.Identifier.ValueText):
                case PropertyDeclarationSyntax property when HasPrefix(property.Identifier.ValueText):
                case VariableDeclaratorSyntax variable when HasPrefix(variable.Identifier.ValueText):
                case LocalFunctionStatementSyntax function when HasPrefix(function.Identifier.ValueText):
                    return true;
            }
        }

        return false;
    }

    // "FakeTokenClient", "Test_Secret", "TestSecret": the prefix is a word of its own ("Testament" is not).
    private static bool HasPrefix(string name)
    {
        string trimmed = name.TrimStart('_');
        foreach (string prefix in TestDoublePrefixes)
        {
            if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && (trimmed.Length == prefix.Length || !char.IsLower(trimmed[prefix.Length])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasSuffix(string name)
    {
        foreach (string suffix in TestTypeSuffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
