using System.Globalization;

namespace PneumoniaPortal.Web;

/// <summary>How figures and times read on every page and in every message (services use it too, so it is not UI code).</summary>
public static class Format
{
    public static string Percent(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("P1", CultureInfo.InvariantCulture) : "—";
    public static string Number(double? v, string format = "0.000") => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "—";
    /// <summary>A size in words: "8 GB", "1.2 GB", "50 MB".</summary>
    public static string Bytes(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GB"
        : (bytes / (double)(1 << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";

    public static string When(DateTimeOffset? t) => t is { } x ? x.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    public static string Duration(TimeSpan t) =>
        t.TotalSeconds < 60 ? $"{t.TotalSeconds:0} s"
        : t.TotalMinutes < 60 ? $"{(int)t.TotalMinutes} min {t.Seconds:00} s"
        : $"{(int)t.TotalHours} h {t.Minutes:00} min";
}
