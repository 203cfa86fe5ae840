/// <reference types="vite/client" />

// macaw-ui's style sheet, exported without a file extension.
declare module "@saleor/macaw-ui/style";
