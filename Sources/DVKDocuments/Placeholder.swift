public enum DVKDocumentsPlaceholder {}
