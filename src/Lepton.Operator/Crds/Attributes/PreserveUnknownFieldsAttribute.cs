namespace Lepton.Operator.Crds.Attributes;

/// <summary>
/// Emits the property as <c>type: object</c> with <c>x-kubernetes-preserve-unknown-fields: true</c>
/// and no nested schema: the API server stores whatever the user wrote there. Used for embedded
/// core types whose full schema would dwarf the CRD and which the API server validates anyway
/// when the operator creates objects from them.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;
