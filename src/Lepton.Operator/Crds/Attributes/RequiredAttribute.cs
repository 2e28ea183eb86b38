namespace Lepton.Operator.Crds.Attributes;

/// <summary>
/// The property must be present: it is listed in the enclosing object's <c>required</c>. A CRD
/// schema attribute, not <c>System.ComponentModel.DataAnnotations.RequiredAttribute</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class RequiredAttribute : Attribute;
