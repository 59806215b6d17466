namespace PneumoniaPortal.Web.Data;

public enum CourseRole { Student, Instructor }
