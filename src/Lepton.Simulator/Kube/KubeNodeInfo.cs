using Lepton.Scheduling.Inventory;

namespace Lepton.Simulator.Kube;

/// <summary>kube-scheduler's view of one node (its <c>NodeInfo</c>): allocatable and requested CPU, memory, pods and extended resources.</summary>
internal sealed class KubeNodeInfo
{
    public KubeNodeInfo(NodeInventory inventory)
    {
        Inventory = inventory;
        foreach (var r in inventory.Extended)
        {
            Allocatable[r.Name] = r.Quantity;
        }
    }

    public NodeInventory Inventory { get; }

    public string Name => Inventory.Name;

    public long RequestedCpu { get; set; }

    public long RequestedMemory { get; set; }

    public long NonZeroCpu { get; set; }

    public long NonZeroMemory { get; set; }

    public int Pods { get; set; }

    public Dictionary<string, long> Allocatable { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Requested { get; } = new(StringComparer.Ordinal);

    public void Apply(PodDemand pod, int sign)
    {
        RequestedCpu += sign * pod.CpuMilli;
        RequestedMemory += sign * pod.MemoryBytes;
        NonZeroCpu += sign * KubeSchedulerEmulator.NonZeroCpu(pod);
        NonZeroMemory += sign * KubeSchedulerEmulator.NonZeroMemory(pod);
        Pods += sign;
        if (!pod.Extended.IsDefaultOrEmpty)
        {
            foreach (var r in pod.Extended)
            {
                Requested[r.Name] = Requested.GetValueOrDefault(r.Name) + (sign * r.Quantity);
            }
        }
    }
}
