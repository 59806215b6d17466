namespace PneumoniaPortal.Web.Compare;

/// <summary>Which way a row of the compare table is better; <see cref="Neither"/> rows are shown but never highlighted.</summary>
public enum Better { Higher, Lower, Neither }
