// macaw-ui's Input, with two fixes: it sets role="input" (not an ARIA role; native inputs
// need none), and its number type swallows the minus key, so numbers are typed as text
// with a numeric keyboard.
import { Input as MacawInput, type InputProps } from "@saleor/macaw-ui";
import { forwardRef } from "react";

export const Input = forwardRef<HTMLInputElement, InputProps>(function Input({ type, ...props }, ref) {
  if (type === "number") {
    return <MacawInput ref={ref} role={undefined} type="text" inputMode="decimal" {...props} />;
  }
  return <MacawInput ref={ref} role={undefined} type={type} {...props} />;
});
