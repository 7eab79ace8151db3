/** An engine message ("the key in … does not …") as a sentence on its own: capital first letter. */
export const sentence = (message: string): string => message.charAt(0).toUpperCase() + message.slice(1);
