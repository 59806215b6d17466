using MudBlazor;

namespace PneumoniaPortal.Web.Components.Layout;

public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1565c0", Secondary = "#e65100", AppbarBackground = "#0d47a1" },
    };
}
