using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NhiGuard.Analyzers.Sinks;

/// <summary>
/// A sink table bound to one compilation: only the sinks whose types the compilation references,
/// with the names a syntax node must carry to be worth asking the semantic model about.
/// </summary>
internal sealed class ResolvedSinks
{
    private readonly Dictionary<INamedTypeSymbol, Sink[]> _byType;
    private readonly Dictionary<string, SinkValueKind[]> _methodNames;
    private readonly Dictionary<string, SinkValueKind[]> _typeNames;
    private readonly HashSet<string> _propertyNames;
    private readonly HashSet<string> _collectionNames;

    private ResolvedSinks(Dictionary<INamedTypeSymbol, Sink[]> byType)
    {
        _byType = byType;
        Sink[] all = byType.Values.SelectMany(s => s).ToArray();
        _methodNames = KindsByName(all.Where(s => !s.IsProperty && s.Member != Sink.Constructor), s => s.Member);
        _typeNames = KindsByName(all.Where(s => s.Member == Sink.Constructor), s => s.TypeName);
        _propertyNames = new HashSet<string>(all.Where(s => s.IsProperty && s.Kind != SinkValueKind.ScopeCollection).Select(s => s.Member), StringComparer.Ordinal);
        _collectionNames = new HashSet<string>(all.Where(s => s.Kind == SinkValueKind.ScopeCollection).Select(s => s.Member), StringComparer.Ordinal);
    }

    /// <summary>Binds <paramref name="sinks"/> to the compilation; null when it references none of their types.</summary>
    public static ResolvedSinks? Resolve(Compilation compilation, IEnumerable<Sink> sinks)
    {
        var byType = new Dictionary<INamedTypeSymbol, List<Sink>>(SymbolEqualityComparer.Default);
        foreach (IGrouping<string, Sink> group in sinks.GroupBy(s => s.Type))
        {
            // GetTypesByMetadataName, not GetTypeByMetadataName: a type that two referenced assemblies
            // both define (an SDK split across packages) is still found.
            foreach (INamedTypeSymbol type in compilation.GetTypesByMetadataName(group.Key))
            {
                if (!byType.TryGetValue(type, out List<Sink>? list))
                {
                    byType[type] = list = new List<Sink>();
                }

                list.AddRange(group);
            }
        }

        return byType.Count == 0 ? null : new ResolvedSinks(byType.ToDictionary(p => p.Key, p => p.Value.ToArray(), (IEqualityComparer<INamedTypeSymbol>)SymbolEqualityComparer.Default));
    }

    /// <summary>The nodes of <paramref name="root"/> worth asking the semantic model about (syntax only).</summary>
    public IEnumerable<SyntaxNode> CandidatesIn(SyntaxNode root)
    {
        foreach (SyntaxNode node in root.DescendantNodes())
        {
            if (IsCandidateKind(node.Kind()) && IsCandidate(node))
            {
                yield return node;
            }
        }
    }

    /// <summary>
    /// Whether the node names a sink member (syntax only: cheap, and most nodes fail here). Aliased
    /// type names and target-typed <c>new(...)</c> pass when an argument could be a hard-coded value.
    /// </summary>
    public bool IsCandidate(SyntaxNode node)
    {
        switch (node)
        {
            case InvocationExpressionSyntax invocation:
                string? method = RightmostName(invocation.Expression);
                return method is not null
                    && ((_methodNames.TryGetValue(method, out SinkValueKind[]? kinds) && HasShape(kinds, invocation.ArgumentList))
                        || (IsCollectionAdd(invocation, method) && MayHoldConstant(invocation.ArgumentList)));
            case ObjectCreationExpressionSyntax creation:
                string? type = RightmostName(creation.Type);
                return type is not null && _typeNames.TryGetValue(type, out SinkValueKind[]? created)
                    ? HasShape(created, creation.ArgumentList)
                    : IsAliasCandidate(creation) && MayHoldConstant(creation.ArgumentList);
            case ImplicitObjectCreationExpressionSyntax implicitCreation:
                return MayHoldConstant(implicitCreation.ArgumentList);
            case AssignmentExpressionSyntax assignment:
                string? property = RightmostName(assignment.Left);
                return property is not null && _propertyNames.Contains(property) && MayBeConstant(assignment.Right);
            default:
                return false;
        }
    }

    private static Dictionary<string, SinkValueKind[]> KindsByName(IEnumerable<Sink> sinks, Func<Sink, string> name) =>
        sinks.GroupBy(name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(s => s.Kind).Distinct().ToArray(), StringComparer.Ordinal);

    // What the arguments must look like for the call to be worth a question: headers.Add needs a
    // credential header's name, a URL or body a "key=" in its text; common names such as Add and
    // GetAsync would otherwise send most method bodies to the binder.
    private static bool HasShape(SinkValueKind[] kinds, ArgumentListSyntax? arguments)
    {
        foreach (SinkValueKind kind in kinds)
        {
            bool shaped = kind switch
            {
                SinkValueKind.HeaderValue => IsSecretHeader(arguments),
                SinkValueKind.QueryString => HasKeyValueText(arguments),
                _ => MayHoldConstant(arguments),
            };
            if (shaped)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSecretHeader(ArgumentListSyntax? arguments) =>
        arguments is { Arguments.Count: >= 2 } && arguments.Arguments[0].Expression switch
        {
            LiteralExpressionSyntax literal => SecretSinks.SecretHeaders.Contains(literal.Token.ValueText, StringComparer.OrdinalIgnoreCase),
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText is "Authorization" or "ProxyAuthorization",
            _ => false,
        };

    private static bool HasKeyValueText(ArgumentListSyntax? arguments) =>
        arguments is not null && arguments.DescendantTokens().Any(t =>
            (t.IsKind(SyntaxKind.StringLiteralToken) || t.IsKind(SyntaxKind.InterpolatedStringTextToken)) && t.ValueText.IndexOf('=') >= 0);

    // options.Scope.Add("..."): a collection property of a sink type.
    private bool IsCollectionAdd(InvocationExpressionSyntax invocation, string method) =>
        method == "Add" && _collectionNames.Count > 0
        && invocation.Expression is MemberAccessExpressionSyntax { Expression: var receiver }
        && RightmostName(receiver) is { } property && _collectionNames.Contains(property);

    /// <summary>The sink that <paramref name="member"/> (with <paramref name="parameter"/>, for methods and constructors) is, if any.</summary>
    public Sink? Match(ISymbol member, IParameterSymbol? parameter)
    {
        INamedTypeSymbol? declaring = member.ContainingType;
        if (declaring is null)
        {
            return null;
        }

        string memberName = member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? Sink.Constructor : member.Name;
        string? parameterName = parameter?.Name;
        foreach (INamedTypeSymbol type in SelfBasesAndInterfaces(declaring))
        {
            if (_byType.TryGetValue(type.OriginalDefinition, out Sink[]? candidates))
            {
                foreach (Sink sink in candidates)
                {
                    if (sink.Member == memberName && sink.Parameter == parameterName)
                    {
                        return sink;
                    }
                }
            }
        }

        return null;
    }

    private static IEnumerable<INamedTypeSymbol> SelfBasesAndInterfaces(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            yield return t;
        }

        foreach (INamedTypeSymbol i in type.AllInterfaces)
        {
            yield return i;
        }
    }

    private static string? RightmostName(SyntaxNode node) => node switch
    {
        IdentifierNameSyntax id => id.Identifier.ValueText,
        GenericNameSyntax generic => generic.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        _ => null,
    };

    // A type written under a using alias ("using Cred = System.Net.NetworkCredential;") has a name
    // the table does not know; the tree's alias directives decide.
    private static bool IsAliasCandidate(ObjectCreationExpressionSyntax creation)
    {
        if (creation.Type is not IdentifierNameSyntax name || creation.SyntaxTree.GetRoot() is not CompilationUnitSyntax unit)
        {
            return false;
        }

        string text = name.Identifier.ValueText;
        return unit.Usings.Any(u => u.Alias?.Name.Identifier.ValueText == text)
            || unit.Members.OfType<BaseNamespaceDeclarationSyntax>().Any(n => n.Usings.Any(u => u.Alias?.Name.Identifier.ValueText == text));
    }

    private static bool MayHoldConstant(ArgumentListSyntax? arguments) =>
        arguments is not null && arguments.Arguments.Any(a => MayBeConstant(a.Expression));

    // Syntax that could evaluate to a value written in the code; element access (config["x"]) and
    // most calls cannot, and are the common case for code that does it right.
    private static bool MayBeConstant(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal => !literal.IsKind(SyntaxKind.NullLiteralExpression) && !literal.IsKind(SyntaxKind.DefaultLiteralExpression),
        InterpolatedStringExpressionSyntax => true,
        IdentifierNameSyntax => true,
        MemberAccessExpressionSyntax access => access.Expression is not InvocationExpressionSyntax and not ElementAccessExpressionSyntax || MayBeConstant(access.Expression),
        InvocationExpressionSyntax call => call.ArgumentList.Arguments.Any(a => MayBeConstant(a.Expression)) || (call.Expression is MemberAccessExpressionSyntax target && MayBeConstant(target.Expression)),
        BinaryExpressionSyntax binary => MayBeConstant(binary.Left) || MayBeConstant(binary.Right),
        ConditionalExpressionSyntax conditional => MayBeConstant(conditional.WhenTrue) || MayBeConstant(conditional.WhenFalse),
        ParenthesizedExpressionSyntax parenthesized => MayBeConstant(parenthesized.Expression),
        CastExpressionSyntax cast => MayBeConstant(cast.Expression),
        PostfixUnaryExpressionSyntax suppressed => MayBeConstant(suppressed.Operand),
        ArrayCreationExpressionSyntax array => array.Initializer is not null,
        ImplicitArrayCreationExpressionSyntax => true,
        BaseObjectCreationExpressionSyntax created => created.Initializer is not null || MayHoldConstant(created.ArgumentList),
        CollectionExpressionSyntax => true,
        _ => false,
    };

    private static bool IsCandidateKind(SyntaxKind kind) => kind is
        SyntaxKind.InvocationExpression or
        SyntaxKind.ObjectCreationExpression or
        SyntaxKind.ImplicitObjectCreationExpression or
        SyntaxKind.SimpleAssignmentExpression;
}
