using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using NhiGuard.Analyzers.Secrets;
using NhiGuard.Analyzers.Sinks;

namespace NhiGuard.Analyzers.Scopes;

/// <summary>A scope written in the code that a sink requests.</summary>
/// <param name="Scope">One scope, as requested.</param>
/// <param name="Syntax">Where it is written (a literal, or the reference to a constant declared elsewhere).</param>
internal sealed record RequestedScope(string Scope, SyntaxNode Syntax);

/// <summary>Finds the scopes, written in the code, that a sink invocation, creation or assignment requests.</summary>
internal static class ScopeFlow
{
    private const int MaxDepth = 8;

    private static readonly Regex QueryScope = new(
        @"(?:^|[?&])scope=(?<value>[^&#]*)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase,
        TimeSpan.FromSeconds(1));

    private static readonly char[] Separators = { ' ', '\t', '\r', '\n', ',' };

    public static IEnumerable<RequestedScope> Analyze(SyntaxNode node, ResolvedSinks sinks, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var (sink, value) in SinkValues(model.GetOperation(node, cancellationToken), sinks))
        {
            IEnumerable<RequestedScope> scopes = sink.Kind switch
            {
                SinkValueKind.FormFields => FormScopes(value, model, cancellationToken),
                SinkValueKind.QueryString => QueryScopes(value, model, cancellationToken),
                _ => Split(Strings(value, model, cancellationToken, 0)),
            };
            foreach (RequestedScope scope in scopes)
            {
                yield return scope;
            }
        }
    }

    private static IEnumerable<(Sink Sink, IOperation Value)> SinkValues(IOperation? operation, ResolvedSinks sinks)
    {
        switch (operation)
        {
            // options.Scope.Add("..."): the collection is the sink.
            case IInvocationOperation { TargetMethod.Name: "Add", Instance: IPropertyReferenceOperation property, Arguments.Length: 1 } add
                when sinks.Match(property.Property, null) is { Kind: SinkValueKind.ScopeCollection } collection:
                yield return (collection, add.Arguments[0].Value);
                break;
            case IInvocationOperation invocation:
                foreach (var pair in FromArguments(invocation.TargetMethod, invocation.Arguments, sinks))
                {
                    yield return pair;
                }

                break;
            case IObjectCreationOperation { Constructor: { } constructor } creation:
                foreach (var pair in FromArguments(constructor, creation.Arguments, sinks))
                {
                    yield return pair;
                }

                break;
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment
                when sinks.Match(property.Property, null) is { Kind: not SinkValueKind.ScopeCollection } sink:
                yield return (sink, assignment.Value);
                break;
        }
    }

    private static IEnumerable<(Sink, IOperation)> FromArguments(IMethodSymbol method, IEnumerable<IArgumentOperation> arguments, ResolvedSinks sinks)
    {
        foreach (IArgumentOperation argument in arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && argument.Parameter is not null && sinks.Match(method, argument.Parameter) is { } sink)
            {
                yield return (sink, argument.Value);
            }
        }
    }

    // The strings written in the code that make up a list of scopes: array and collection
    // initializers, collection expressions, params arrays, and the constants, static readonly
    // fields and locals they come through.
    private static IEnumerable<HardCodedValue> Strings(IOperation? operation, SemanticModel model, CancellationToken cancellationToken, int depth)
    {
        if (operation is null || depth > MaxDepth)
        {
            yield break;
        }

        if (HardCodedValue.Find(operation, model, cancellationToken) is { Text: not null } value)
        {
            yield return value;
            yield break;
        }

        if (operation is IFieldReferenceOperation { Field: var field } && GoogleField(field) is { } google)
        {
            yield return new HardCodedValue(operation.Syntax, google);
            yield break;
        }

        IEnumerable<IOperation> parts = operation switch
        {
            IConversionOperation conversion => new[] { conversion.Operand },
            IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
            IArrayInitializerOperation initializer => initializer.ElementValues,
            IObjectCreationOperation { Initializer: { } initializer } => initializer.Initializers.OfType<IInvocationOperation>().SelectMany(add => add.Arguments.Select(a => a.Value)),
            IFieldReferenceOperation or ILocalReferenceOperation => Optional(HardCodedValue.InitializerOf(operation, model, cancellationToken)),

            // C# 12 collection expressions ([..]); their operation kind is newer than this analyzer's Roslyn.
            _ when operation.Kind.ToString() == "CollectionExpression" => operation.ChildOperations,
            _ => Enumerable.Empty<IOperation>(),
        };

        foreach (IOperation part in parts)
        {
            foreach (HardCodedValue inner in Strings(part, model, cancellationToken, depth + 1))
            {
                yield return inner;
            }
        }
    }

    private static string? GoogleField(IFieldSymbol field) =>
        field.ContainingType is { } type
            ? ScopeCatalog.GoogleScopeField(type.ContainingType?.ContainingNamespace?.ToDisplayString() ?? type.ContainingNamespace?.ToDisplayString() ?? "", type.Name, field.Name)
            : null;

    private static IEnumerable<IOperation> Optional(IOperation? operation) =>
        operation is null ? Enumerable.Empty<IOperation>() : new[] { operation };

    // "openid profile Directory.ReadWrite.All": IdentityModel and form bodies take one string.
    private static IEnumerable<RequestedScope> Split(IEnumerable<HardCodedValue> values) =>
        values.SelectMany(v => (v.Text ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries).Select(s => new RequestedScope(s, v.Syntax)));

    private static IEnumerable<RequestedScope> FormScopes(IOperation value, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach ((string key, IOperation field) in FormFields.In(value))
        {
            if (string.Equals(key.Trim(), "scope", StringComparison.OrdinalIgnoreCase))
            {
                foreach (RequestedScope scope in Split(Strings(field, model, cancellationToken, 0)))
                {
                    yield return scope;
                }
            }
        }
    }

    private static IEnumerable<RequestedScope> QueryScopes(IOperation value, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (HardCodedValue part in Strings(value, model, cancellationToken, 0))
        {
            foreach (Match m in QueryScope.Matches(part.Text ?? ""))
            {
                string scopes = Uri.UnescapeDataString(m.Groups["value"].Value.Replace('+', ' '));
                foreach (string scope in scopes.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return new RequestedScope(scope, part.Syntax);
                }
            }
        }
    }
}
