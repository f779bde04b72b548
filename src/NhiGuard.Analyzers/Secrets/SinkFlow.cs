using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using NhiGuard.Analyzers.Sinks;

namespace NhiGuard.Analyzers.Secrets;

/// <summary>A hard-coded value that reaches a sink.</summary>
/// <param name="Sink">The SDK member.</param>
/// <param name="Value">The value and where it is written.</param>
/// <param name="At">The argument or assignment through which it reaches the sink.</param>
/// <param name="Field">The form field or query key that names the secret, for form bodies and URLs.</param>
internal sealed record SinkFinding(Sink Sink, HardCodedValue Value, SyntaxNode At, string? Field = null)
{
    /// <summary>How the message names the sink: <c>NetworkCredential(password)</c>, <c>'client_secret' of StringContent(content)</c>.</summary>
    public string Display => Field is null ? Sink.DisplayName : $"'{Field}' of {Sink.DisplayName}";
}

/// <summary>Finds the hard-coded values that a sink invocation, creation or assignment receives.</summary>
internal static class SinkFlow
{
    private static readonly string[] SecretKeys =
    {
        "client_secret", "password", "passwd", "pwd", "api_key", "apikey", "api-key", "access_token",
        "refresh_token", "client_assertion", "secret", "token", "subscription-key",
    };

    // client_secret=VALUE in a URL or form body, up to the next separator; a hole ({...}) is not text.
    private static readonly Regex QueryField = new(
        @"(?:^|[?&])(?<key>client_secret|password|passwd|pwd|api_key|apikey|api-key|access_token|refresh_token|client_assertion|subscription-key)=(?<value>[^&#\s;]+)(?=$|[&#])",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase,
        TimeSpan.FromSeconds(1));

    private static readonly string[] AuthorizationSchemes = { "Basic", "Bearer", "Token" };

    /// <summary>The hard-coded values that <paramref name="node"/> (a candidate of <paramref name="sinks"/>) passes to a sink.</summary>
    public static IEnumerable<SinkFinding> Analyze(SyntaxNode node, ResolvedSinks sinks, SemanticModel model, CancellationToken cancellationToken)
    {
        IOperation? operation = model.GetOperation(node, cancellationToken);
        switch (operation)
        {
            case IInvocationOperation invocation:
                return FromArguments(invocation.TargetMethod, invocation.Arguments, sinks, model, cancellationToken);
            case IObjectCreationOperation { Constructor: { } constructor } creation:
                return FromArguments(constructor, creation.Arguments, sinks, model, cancellationToken);
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment
                when sinks.Match(property.Property, null) is { } sink:
                return FromValue(sink, assignment.Value, assignment.Syntax, model, cancellationToken);
            default:
                return Enumerable.Empty<SinkFinding>();
        }
    }

    private static IEnumerable<SinkFinding> FromArguments(IMethodSymbol method, IEnumerable<IArgumentOperation> arguments, ResolvedSinks sinks, SemanticModel model, CancellationToken cancellationToken)
    {
        IArgumentOperation[] all = arguments.ToArray();
        foreach (IArgumentOperation argument in all)
        {
            if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter is null || sinks.Match(method, argument.Parameter) is not { } sink)
            {
                continue;
            }

            if (sink.Kind == SinkValueKind.AuthorizationParameter && !HasSecretScheme(all))
            {
                continue;
            }

            if (sink.Kind == SinkValueKind.HeaderValue)
            {
                if (SecretHeader(all) is { } header && HardCodedValue.Find(argument.Value, model, cancellationToken) is { Text: { } text } found)
                {
                    // "Bearer <value>": the scheme is not the secret, the rest is judged on its own.
                    bool authorization = header.EndsWith("Authorization", StringComparison.OrdinalIgnoreCase);
                    string secret = authorization && text.Trim().IndexOf(' ') is int space and > 0 ? text.Trim().Substring(space + 1) : text;
                    yield return new SinkFinding(sink, found with { Text = secret }, argument.Syntax, header);
                }

                continue;
            }

            foreach (SinkFinding finding in FromValue(sink, argument.Value, argument.Syntax, model, cancellationToken))
            {
                yield return finding;
            }
        }
    }

    private static string? SecretHeader(IArgumentOperation[] arguments) =>
        arguments.FirstOrDefault(a => a.Parameter?.Name == "name")?.Value.ConstantValue is { HasValue: true, Value: string name }
            ? SecretSinks.SecretHeaders.FirstOrDefault(h => string.Equals(h, name.Trim(), StringComparison.OrdinalIgnoreCase))
            : null;

    private static bool HasSecretScheme(IArgumentOperation[] arguments) =>
        arguments.FirstOrDefault(a => a.Parameter?.Name == "scheme")?.Value.ConstantValue is { HasValue: true, Value: string scheme }
        && AuthorizationSchemes.Any(s => string.Equals(s, scheme.Trim(), StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<SinkFinding> FromValue(Sink sink, IOperation value, SyntaxNode at, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (sink.Kind)
        {
            case SinkValueKind.FormFields:
                return FromFormFields(sink, value, model, cancellationToken);
            case SinkValueKind.QueryString:
                return FromQueryString(sink, value, at, model, cancellationToken);
            case SinkValueKind.SigningKey:
            case SinkValueKind.Secret:
            case SinkValueKind.AuthorizationParameter:
            default:
                return HardCodedValue.Find(value, model, cancellationToken) is { } found && (sink.Kind == SinkValueKind.SigningKey || found.Text is not null)
                    ? new[] { new SinkFinding(sink, found, at) }
                    : Enumerable.Empty<SinkFinding>();
        }
    }

    private static IEnumerable<SinkFinding> FromFormFields(Sink sink, IOperation value, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach ((string key, IOperation field) in FormFields.In(value))
        {
            if (IsSecretKey(key) && HardCodedValue.Find(field, model, cancellationToken) is { Text: not null } found)
            {
                yield return new SinkFinding(sink, found, field.Syntax, key);
            }
        }
    }

    private static bool IsSecretKey(string key) =>
        SecretKeys.Any(k => string.Equals(k, key.Trim(), StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<SinkFinding> FromQueryString(Sink sink, IOperation value, SyntaxNode at, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (HardCodedValue part in TextParts(value, model, cancellationToken))
        {
            if (part.Text is null)
            {
                continue;
            }

            foreach (Match m in QueryField.Matches(part.Text))
            {
                string secret = Uri.UnescapeDataString(m.Groups["value"].Value);
                if (SecretValues.IsReportable(new HardCodedValue(part.Syntax, secret)))
                {
                    yield return new SinkFinding(sink, part with { Text = secret }, at, m.Groups["key"].Value);
                    break;
                }
            }
        }
    }

    // The pieces of a URL or body that are written in the code: literals, constants, and the text
    // parts of interpolations and concatenations whose other parts are computed.
    private static IEnumerable<HardCodedValue> TextParts(IOperation value, SemanticModel model, CancellationToken cancellationToken)
    {
        if (HardCodedValue.Find(value, model, cancellationToken) is { } whole)
        {
            yield return whole;
            yield break;
        }

        switch (value)
        {
            case IConversionOperation conversion:
                foreach (HardCodedValue part in TextParts(conversion.Operand, model, cancellationToken))
                {
                    yield return part;
                }

                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary:
                foreach (HardCodedValue part in TextParts(binary.LeftOperand, model, cancellationToken).Concat(TextParts(binary.RightOperand, model, cancellationToken)))
                {
                    yield return part;
                }

                break;
            case IInterpolatedStringOperation interpolated:
                foreach (IInterpolatedStringContentOperation part in interpolated.Parts)
                {
                    if (part is IInterpolatedStringTextOperation { Text.ConstantValue.Value: string text })
                    {
                        yield return new HardCodedValue(part.Syntax, text);
                    }
                }

                break;
        }
    }
}
