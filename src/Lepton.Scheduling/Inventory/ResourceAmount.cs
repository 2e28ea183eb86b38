namespace Lepton.Scheduling.Inventory;

/// <summary>An amount of one extended resource (a device count, an FPGA region, a MIG slice).</summary>
/// <param name="Name">The resource name, for example <c>fpga.intel.com/region-ce48…</c>.</param>
/// <param name="Quantity">The amount in whole units.</param>
public readonly record struct ResourceAmount(string Name, long Quantity)
{
    /// <summary>The resource name (well-known GPU resources as their shared instance, <see cref="Resources.ResourceNames.Shared"/>).</summary>
    public string Name { get; init; } = Resources.ResourceNames.Shared(Name)!;
}
