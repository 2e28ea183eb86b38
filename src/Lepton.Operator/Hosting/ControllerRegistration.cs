namespace Lepton.Operator.Hosting;

/// <summary>
/// Marks a controller registered by name (one per <c>AddLeptonController</c> call), so that a name is used
/// once across all resource types and the registered controllers can be listed.
/// </summary>
/// <param name="Name">The controller name.</param>
/// <param name="ResourceType">The primary resource type.</param>
public sealed record ControllerRegistration(string Name, Type ResourceType);
