namespace Lepton.Testing.KubeApiServer.Selectors;

/// <summary>Label-selector operators (<c>selection.Operator</c>).</summary>
internal enum LabelOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
